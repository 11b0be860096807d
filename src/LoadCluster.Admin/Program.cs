using LoadCluster.Admin;

// LoadCluster's enrollment tool: hosts add NAME | hosts revoke NAME | hosts list | web add | rules update.
// The admin credential comes from the environment (ConnectionStrings__redis_admin), never argv.
try
{
    var command = AdminArguments.Parse(args);
    if (command is null)
    {
        Console.WriteLine(AdminArguments.Usage);
        return 0;
    }
    var settings = AdminSettings.FromEnvironment(Environment.GetEnvironmentVariable);
    await using var nodes = await RedisNodes.ConnectAsync(settings);
    var enrollment = new Enrollment(settings, nodes, Console.Out, TimeProvider.System);
    await (command.Verb switch
    {
        "hosts add" => enrollment.AddHostAsync(command.Name!, command.Output),
        "hosts revoke" => enrollment.RevokeHostAsync(command.Name!),
        "hosts list" => enrollment.ListAsync(),
        "rules update" => enrollment.UpdateRulesAsync(),
        _ => enrollment.AddWebAsync(command.Output),
    });
    return 0;
}
catch (AdminException e)
{
    await Console.Error.WriteLineAsync($"loadcluster-admin: {e.Message}");
    if (e.ShowUsage) await Console.Error.WriteLineAsync(AdminArguments.Usage);
    return e.ExitCode;
}
