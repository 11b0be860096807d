using LoadCluster.Collector;

return await CollectorCommand.RunAsync(args);
