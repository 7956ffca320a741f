using YamlDotNet.RepresentationModel;

namespace TinyNet.Sweeps.Deploy.Tests;

/// <summary>docker-compose.yml, read as YAML: no Docker engine runs these, so parsing is the check.</summary>
public class ComposeFileTests
{
    static readonly string[] Silos = ["silo1", "silo2", "silo3"];
    static readonly string[] AppServices = [.. Silos, "submit"];
    const string TraceViewer = "aspire-dashboard";
    const int TraceViewerOtlpPort = 18889;   // the dashboard's OTLP/gRPC port inside its container
    const int TraceViewerUiPort = 18888;

    static readonly YamlMappingNode Compose = LoadCompose();
    static YamlMappingNode Services => Compose.Map("services");
    static YamlMappingNode Service(string name) => Services.Map(name);

    static YamlMappingNode LoadCompose()
    {
        var documents = Repo.LoadYaml("docker-compose.yml");
        Assert.Single(documents);
        return Assert.IsType<YamlMappingNode>(documents[0].RootNode);
    }

    static List<string> Command(string service) =>
        Service(service).Seq("command").Select(n => n.Scalar()).ToList();

    /// <summary>environment as a mapping or as a KEY=VALUE list; both are valid compose.</summary>
    static Dictionary<string, string> Environment(string service)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (Service(service).Get("environment"))
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Entries()) env[key] = value.Scalar();
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Select(n => n.Scalar()))
                {
                    int eq = item.IndexOf('=');
                    env[eq < 0 ? item : item[..eq]] = eq < 0 ? "" : item[(eq + 1)..];
                }
                break;
        }
        return env;
    }

    [Fact]
    public void Has_redis_three_silos_a_submitter_and_a_trace_viewer()
    {
        var names = Services.Entries().Select(e => e.Key).ToHashSet();
        foreach (var expected in new[] { "redis", "silo1", "silo2", "silo3", "submit", TraceViewer })
            Assert.Contains(expected, names);
        Assert.StartsWith("redis:", Service("redis").Str("image"));
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspire-dashboard:", Service(TraceViewer).Str("image"));
    }

    [Fact]
    public void Silos_and_submit_build_from_deploy_Dockerfile_at_the_repo_root()
    {
        foreach (var service in AppServices)
        {
            var build = Service(service).Map("build");
            string context = build.Str("context") ?? throw new Xunit.Sdk.XunitException($"{service}: no build context");
            string dockerfile = build.Str("dockerfile") ?? "Dockerfile";
            Assert.Equal(Repo.Root, Repo.PathOf(context).TrimEnd(Path.DirectorySeparatorChar));
            Assert.Equal("deploy/Dockerfile", dockerfile);
            Assert.True(File.Exists(Path.Combine(Repo.PathOf(context), dockerfile)), $"{service}: {dockerfile} does not exist");
        }
    }

    [Fact]
    public void Commands_use_only_the_CLIs_commands_and_options()
    {
        foreach (var service in AppServices)
        {
            var (invocation, problems) = CliSurface.Parse(Command(service));
            Assert.True(problems.Count == 0, $"{service}: {string.Join("; ", problems)}");
            Assert.Equal(service == "submit" ? "submit" : "silo", invocation!.Command);
            Assert.Equal("redis:6379", invocation.Options["--redis"]);
        }
    }

    [Fact]
    public void Silos_have_distinct_names_and_leave_the_advertised_address_to_Orleans()
    {
        var names = Silos.Select(s => CliSurface.Parse(Command(s)).Invocation!.Options.GetValueOrDefault("--name")).ToList();
        Assert.All(names, n => Assert.False(string.IsNullOrWhiteSpace(n)));
        Assert.Equal(Silos.Length, names.Distinct().Count());
        foreach (var silo in Silos)
        {
            // A service name is not an IP: --advertise (or its variable) must stay unset in compose.
            Assert.DoesNotContain("--advertise", Command(silo));
            Assert.False(Environment(silo).ContainsKey("TINYNET_SILO__ADVERTISE"), $"{silo} sets TINYNET_SILO__ADVERTISE");
        }
    }

    [Fact]
    public void Sweep_files_named_in_commands_exist()
    {
        var paths = AppServices.SelectMany(Command).Where(a => a.StartsWith("sweeps/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(paths);
        Assert.All(paths, p => Assert.True(File.Exists(Repo.PathOf(p)), $"{p} does not exist"));
        // The image copies sweeps/ to /app/sweeps and runs from /app, so the relative path resolves there.
        Assert.Contains("COPY sweeps/ ./sweeps/", Repo.Read("deploy/Dockerfile"));
    }

    [Fact]
    public void Submit_is_one_shot_waits_for_the_silos_and_writes_into_the_mounted_results()
    {
        var submit = Service("submit");
        Assert.Equal("no", submit.Str("restart"));
        var invocation = CliSurface.Parse(Command("submit")).Invocation!;
        Assert.True(invocation.Options.ContainsKey("--wait"));

        var mounts = submit.Seq("volumes").Select(v => v.Scalar().Split(':')).ToList();
        var results = Assert.Single(mounts, m => m[0] == "./results");
        Assert.StartsWith(results[1].TrimEnd('/') + "/", invocation.Options["--out"]);

        var dependsOn = submit.Map("depends_on");
        foreach (var silo in Silos)
            Assert.Equal("service_healthy", dependsOn.Map(silo).Str("condition"));
    }

    [Fact]
    public void Redis_keeps_an_append_only_log_on_a_volume_and_silos_come_back_after_leaving()
    {
        var redis = string.Join(" ", Command("redis"));
        Assert.Contains("--appendonly yes", redis);
        var mount = Assert.Single(Service("redis").Seq("volumes")).Scalar().Split(':');
        Assert.Equal("/data", mount[1]);
        Assert.NotNull(Compose.Map("volumes").Get(mount[0]));
        // A silo whose Redis lost the cluster exits non-zero and must be started again.
        foreach (var silo in Silos) Assert.Equal("unless-stopped", Service(silo).Str("restart"));
    }

    [Fact]
    public void The_dashboard_and_its_OTLP_port_are_published_on_loopback_only()
    {
        var published = Service(TraceViewer).Seq("ports").Select(p => p.Scalar()).ToList();
        Assert.NotEmpty(published);
        Assert.All(published, p => Assert.StartsWith("127.0.0.1:", p));
        Assert.All(AppServices, s => Assert.Null(Service(s).Get("ports")));
    }

    [Fact]
    public void Silos_wait_for_a_healthy_redis_and_report_their_gateway_health()
    {
        var ping = Service("redis").Map("healthcheck").Seq("test").Select(n => n.Scalar()).ToList();
        Assert.Equal(["CMD", "redis-cli", "ping"], ping);
        foreach (var silo in Silos)
        {
            Assert.Equal("service_healthy", Service(silo).Map("depends_on").Map("redis").Str("condition"));
            Assert.NotNull(Service(silo).Map("depends_on").Get(TraceViewer));   // `up submit` must start where telemetry goes
            string probe = string.Join(" ", Service(silo).Map("healthcheck").Seq("test").Select(n => n.Scalar()));
            Assert.Contains($"/{CliSurface.GatewayPort}", probe);
        }
    }

    [Fact]
    public void OTLP_endpoints_point_at_the_trace_viewers_name_and_OTLP_port()
    {
        var names = Services.Entries().Select(e => e.Key).ToHashSet();
        var withEndpoint = Services.Entries().Select(e => e.Key)
            .Where(s => Environment(s).Keys.Any(k => k is "TINYNET_TELEMETRY__OTLPENDPOINT" or "OTEL_EXPORTER_OTLP_ENDPOINT"))
            .ToList();
        Assert.All(Silos, s => Assert.Contains(s, withEndpoint));
        foreach (var service in withEndpoint)
        {
            var env = Environment(service);
            Assert.Equal("otlp", env["TINYNET_TELEMETRY__EXPORTER"]);
            foreach (var key in new[] { "TINYNET_TELEMETRY__OTLPENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT" }.Where(env.ContainsKey))
            {
                Assert.True(Uri.TryCreate(env[key], UriKind.Absolute, out var uri), $"{service}: {key} '{env[key]}' is not a URL");
                Assert.Equal("http", uri!.Scheme);
                Assert.Contains(uri.Host, names);
                Assert.Equal(TraceViewer, uri.Host);
                Assert.Equal(TraceViewerOtlpPort, uri.Port);
            }
        }
    }

    [Fact]
    public void The_trace_viewer_serves_its_UI_and_OTLP_on_the_ports_it_listens_on_and_allows_anonymous_use()
    {
        var published = Service(TraceViewer).Seq("ports").Select(p => ParsePort(p.Scalar())).ToList();
        Assert.Contains(published, p => p.Container == TraceViewerUiPort);
        Assert.Contains(published, p => p.Container == TraceViewerOtlpPort);
        var env = Environment(TraceViewer);
        Assert.Contains(env, kv => kv.Key.EndsWith("DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", StringComparison.Ordinal) && kv.Value == "true");
    }

    [Fact]
    public void Every_port_is_an_integer_in_range()
    {
        int checkedPorts = 0;
        foreach (var (name, service) in Services.Entries())
        {
            foreach (var key in new[] { "ports", "expose" })
                if (service.Get(key) is YamlSequenceNode list)
                    foreach (var item in list)
                    {
                        var (host, container) = ParsePort(item.Scalar());
                        Assert.InRange(container, 1, 65535);
                        if (host is int h) Assert.InRange(h, 1, 65535);
                        checkedPorts++;
                    }
            if (name is "silo1" or "silo2" or "silo3")
                foreach (var (key, value) in Environment(name).Where(kv => kv.Key.EndsWith("PORT", StringComparison.Ordinal)))
                    Assert.True(int.TryParse(value, out _), $"{name}: {key} '{value}' is not an integer");
        }
        Assert.True(checkedPorts > 0);
    }

    [Fact]
    public void Only_variables_the_program_reads_are_set()
    {
        foreach (var service in AppServices)
            foreach (var key in Environment(service).Keys.Where(k => k.StartsWith("TINYNET_", StringComparison.Ordinal)))
                Assert.True(CliSurface.EnvironmentVariables.Contains(key), $"{service}: {key} is not read by tinynet-sweeps");
    }

    /// <summary>"8080", "127.0.0.1:8080:80", "4317:18889/tcp" → (host port or null, container port).</summary>
    internal static (int? Host, int Container) ParsePort(string spec)
    {
        string withoutProtocol = spec.Split('/')[0];
        var parts = withoutProtocol.Split(':');
        Assert.True(parts.Length is >= 1 and <= 3, $"'{spec}' is not a port mapping");
        Assert.True(int.TryParse(parts[^1], out int container), $"'{spec}': container port '{parts[^1]}' is not an integer");
        if (parts.Length == 1) return (null, container);
        Assert.True(int.TryParse(parts[^2], out int host), $"'{spec}': host port '{parts[^2]}' is not an integer");
        return (host, container);
    }
}
