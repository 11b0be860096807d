namespace LoadCluster.Admin;

/// <summary>The command line: a verb, a host name where it takes one, and output options. Never a secret.</summary>
internal sealed record AdminArguments(string Verb, string? Name, OutputOptions Output)
{
    public const string Usage = """
        usage: loadcluster-admin hosts add NAME [--endpoints HOST:PORT,...] [--ca-file PATH] [--out FILE] [--if-missing]
               loadcluster-admin hosts revoke NAME
               loadcluster-admin hosts list
               loadcluster-admin web add [--endpoints HOST:PORT,...] [--ca-file PATH] [--out FILE] [--if-missing]
               loadcluster-admin rules update
          (dotnet run --project src/LoadCluster.Admin -- ...)
          hosts add     makes the host's Redis user on every node and prints its environment file
                        (/etc/loadcluster/collector.env on the host)
          hosts revoke  closes the host's connections and deletes its user on every node
          hosts list    enrolled hosts, when each was last seen, nodes missing a user
          web add       makes the web replicas' Redis user and prints their settings
          rules update  gives every host user and the web user this version's rules, keeping passwords
                        (run it when an upgrade's notes say so)
          --endpoints   where the service reaches Redis (default: the nodes, or the sentinels, of ConnectionStrings__redis_admin)
          --ca-file     where the service keeps the CA certificate (with LoadCluster__Redis__CaFile; default /etc/loadcluster/redis-ca.crt)
          --out         write the file (mode 0600) instead of printing it
          --if-missing  leave a user that exists on every node alone when --out's file exists
        environment: ConnectionStrings__redis_admin (required: the admin user; every node, or the sentinels and serviceName=), LoadCluster__Prefix, LoadCluster__Redis__CaFile
        """;

    /// <summary>Null for help.</summary>
    public static AdminArguments? Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help") return null;
        var verb = args.Count >= 2 ? $"{args[0]} {args[1]}" : args[0];
        var rest = 2;
        string? name = null;
        switch (verb)
        {
            case "hosts add" or "hosts revoke":
                name = args.Count > 2 && !args[2].StartsWith("--", StringComparison.Ordinal)
                    ? args[2]
                    : throw new AdminException($"'{verb}' needs a host name, e.g. '{verb} web-17'.", 2, showUsage: true);
                rest = 3;
                break;
            case "hosts list" or "web add" or "rules update":
                break;
            default:
                throw new AdminException($"unknown command '{string.Join(' ', args.Take(2))}'.", 2, showUsage: true);
        }
        var output = new OutputOptions(null, null, null, false);
        for (var i = rest; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag == "--if-missing")
            {
                output = output with { IfMissing = true };
                continue;
            }
            if (verb is "hosts revoke" or "hosts list" or "rules update" || i + 1 >= args.Count)
                throw new AdminException($"'{flag}' is not an option of '{verb}'{(i + 1 >= args.Count ? " or needs a value" : "")}.", 2, showUsage: true);
            var value = args[++i];
            output = flag switch
            {
                "--endpoints" => output with { Endpoints = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] },
                "--ca-file" => output with { CaFile = value },
                "--out" => output with { File = value },
                _ => throw new AdminException($"unknown option '{flag}'.", 2),
            };
        }
        if (output.IfMissing && output.File is null) throw new AdminException("--if-missing needs --out FILE (the file that holds the existing password).", 2, showUsage: true);
        return new AdminArguments(verb, name, output);
    }
}
