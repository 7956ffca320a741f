using YamlDotNet.RepresentationModel;

namespace TinyNet.Sweeps.Deploy.Tests;

/// <summary>deploy/kubernetes/*.yaml, every document parsed (no cluster is contacted).</summary>
public class KubernetesManifestTests
{
    sealed record Manifest(string File, string Kind, string Name, YamlMappingNode Root);

    static readonly List<Manifest> Manifests = Load();

    static List<Manifest> Load()
    {
        var files = Directory.GetFiles(Repo.PathOf("deploy/kubernetes"), "*.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        var result = new List<Manifest>();
        foreach (var file in files)
            foreach (var document in Repo.LoadYaml(Path.GetRelativePath(Repo.Root, file)))
            {
                if (document.RootNode is not YamlMappingNode root || root.Children.Count == 0) continue;   // an empty document between ---
                string name = Path.GetFileName(file);
                Assert.False(string.IsNullOrEmpty(root.Str("apiVersion")), $"{name}: a document has no apiVersion");
                result.Add(new Manifest(name, root.Str("kind") ?? throw new Xunit.Sdk.XunitException($"{name}: a document has no kind"),
                    root.Map("metadata").Str("name") ?? throw new Xunit.Sdk.XunitException($"{name}: a document has no metadata.name"), root));
            }
        return result;
    }

    static Manifest One(string kind, string name) => Assert.Single(Manifests, m => m.Kind == kind && m.Name == name);

    static YamlMappingNode PodSpec(Manifest m) => m.Root.Map("spec").Map("template").Map("spec");

    static Dictionary<string, string> PodLabels(Manifest m) =>
        m.Root.Map("spec").Map("template").Map("metadata").Map("labels").Entries().ToDictionary(e => e.Key, e => e.Value.Scalar());

    static YamlMappingNode Container(Manifest m, string name) =>
        (YamlMappingNode)Assert.Single(PodSpec(m).Seq("containers"), c => c.Str("name") == name);

    static Dictionary<string, YamlMappingNode> Env(YamlMappingNode container) =>
        container.Seq("env").Cast<YamlMappingNode>().ToDictionary(e => e.Str("name")!, e => e);

    static IEnumerable<YamlMappingNode> AllContainers() =>
        Manifests.Where(m => m.Kind is "Deployment" or "Job").SelectMany(m => PodSpec(m).Seq("containers").Cast<YamlMappingNode>());

    [Fact]
    public void Has_the_expected_objects()
    {
        var objects = Manifests.Select(m => $"{m.Kind}/{m.Name}").ToHashSet();
        foreach (var expected in new[] { "Deployment/redis", "Service/redis", "Deployment/tinynet-silo", "Service/tinynet-gateway", "Job/tinynet-submit" })
            Assert.Contains(expected, objects);
        Assert.Equal(objects.Count, Manifests.Count);   // no object defined twice
    }

    [Fact]
    public void Redis_keeps_an_append_only_log_in_a_mounted_volume()
    {
        var redis = Container(One("Deployment", "redis"), "redis");
        Assert.Contains("--appendonly yes", string.Join(" ", redis.Seq("args").Select(a => a.Scalar())));
        string volume = Assert.Single(redis.Seq("volumeMounts").Cast<YamlMappingNode>(), m => m.Str("mountPath") == "/data").Str("name")!;
        Assert.Contains(PodSpec(One("Deployment", "redis")).Seq("volumes").Cast<YamlMappingNode>(), v => v.Str("name") == volume);
    }

    [Fact]
    public void Silo_deployment_has_three_replicas_and_the_Orleans_labels()
    {
        var silo = One("Deployment", "tinynet-silo");
        Assert.Equal(3, silo.Root.Map("spec").Int("replicas"));
        var labels = PodLabels(silo);
        Assert.Equal("tinynet-sweeps", labels["orleans/serviceId"]);
        Assert.Equal("tinynet", labels["orleans/clusterId"]);
        Assert.Equal("silo", Assert.Single(Container(silo, "silo").Seq("args")).Scalar());
        Assert.StartsWith("tinynet-sweeps:", Container(silo, "silo").Str("image"));
        Assert.True(PodSpec(silo).Int("terminationGracePeriodSeconds") >= 30);
    }

    [Fact]
    public void Deployment_selectors_match_their_pod_labels()
    {
        var deployments = Manifests.Where(m => m.Kind == "Deployment").ToList();
        Assert.NotEmpty(deployments);
        foreach (var d in deployments)
        {
            var labels = PodLabels(d);
            foreach (var (key, value) in d.Root.Map("spec").Map("selector").Map("matchLabels").Entries())
                Assert.True(labels.GetValueOrDefault(key) == value.Scalar(), $"{d.Name}: selector {key}={value} does not match the pod labels");
        }
    }

    [Fact]
    public void Silo_gets_its_address_and_name_from_the_Downward_API_and_reaches_the_redis_Service()
    {
        var silo = One("Deployment", "tinynet-silo");
        var env = Env(Container(silo, "silo"));
        Assert.Equal("status.podIP", env["TINYNET_SILO__ADVERTISE"].Map("valueFrom").Map("fieldRef").Str("fieldPath"));
        Assert.Equal("metadata.name", env["TINYNET_SILO__NAME"].Map("valueFrom").Map("fieldRef").Str("fieldPath"));
        Assert.Equal(RedisAddress(), env["TINYNET_REDIS"].Str("value"));

        // A label reference must name a label the pod has, or the variable is empty.
        var labels = PodLabels(silo);
        foreach (var variable in env.Values)
            if (variable.Get("valueFrom")?.Get("fieldRef")?.Str("fieldPath") is { } path && path.StartsWith("metadata.labels['", StringComparison.Ordinal))
                Assert.Contains(path["metadata.labels['".Length..^2], labels.Keys);
        Assert.Equal("metadata.labels['orleans/clusterId']", env["TINYNET_CLUSTERID"].Map("valueFrom").Map("fieldRef").Str("fieldPath"));
    }

    [Fact]
    public void Silo_ports_probe_and_workers_match_the_CLI()
    {
        var silo = One("Deployment", "tinynet-silo");
        var container = Container(silo, "silo");
        var ports = container.Seq("ports").Select(p => p.Int("containerPort")).ToList();
        Assert.Contains(CliSurface.SiloPort, ports);
        Assert.Contains(CliSurface.GatewayPort, ports);
        Assert.Equal(CliSurface.GatewayPort, container.Map("readinessProbe").Map("tcpSocket").Int("port"));

        var env = Env(container);
        Assert.Equal(CliSurface.SiloPort.ToString(), env["TINYNET_SILO__SILOPORT"].Str("value"));
        Assert.Equal(CliSurface.GatewayPort.ToString(), env["TINYNET_SILO__GATEWAYPORT"].Str("value"));

        // Workers = the CPU the pod may use: read from the limit itself, or equal to it.
        var resources = container.Map("resources");
        string cpuLimit = resources.Map("limits").Str("cpu") ?? throw new Xunit.Sdk.XunitException("no cpu limit");
        Assert.False(string.IsNullOrEmpty(resources.Map("requests").Str("cpu")));
        Assert.True(int.TryParse(cpuLimit, out int cores) && cores >= 1, $"cpu limit '{cpuLimit}' is not whole cores");
        var workers = env["TINYNET_SILO__WORKERS"];
        if (workers.Get("valueFrom")?.Get("resourceFieldRef") is { } field)
        {
            Assert.Equal("limits.cpu", field.Str("resource"));
            Assert.Equal("silo", field.Str("containerName"));
        }
        else Assert.Equal(cpuLimit, workers.Str("value"));
    }

    [Fact]
    public void Services_select_existing_pods_and_target_their_container_ports()
    {
        var services = Manifests.Where(m => m.Kind == "Service").ToList();
        Assert.NotEmpty(services);
        var workloads = Manifests.Where(m => m.Kind is "Deployment").ToList();
        foreach (var service in services)
        {
            var selector = service.Root.Map("spec").Map("selector").Entries().ToDictionary(e => e.Key, e => e.Value.Scalar());
            var target = Assert.Single(workloads, w => selector.All(s => PodLabels(w).GetValueOrDefault(s.Key) == s.Value));
            var containerPorts = PodSpec(target).Seq("containers").SelectMany(c => c.Seq("ports")).Select(p => p.Int("containerPort")).ToHashSet();
            foreach (var port in service.Root.Map("spec").Seq("ports"))
            {
                Assert.InRange(port.Int("port"), 1, 65535);
                Assert.Contains(port.Get("targetPort") is null ? port.Int("port") : port.Int("targetPort"), containerPorts);
            }
        }
        var gateway = One("Service", "tinynet-gateway");
        Assert.Contains(gateway.Root.Map("spec").Seq("ports"), p => p.Int("port") == CliSurface.GatewayPort);
    }

    [Fact]
    public void Submit_job_uses_the_CLIs_options_an_existing_sweep_and_the_redis_Service()
    {
        var job = One("Job", "tinynet-submit");
        Assert.Equal("Never", PodSpec(job).Str("restartPolicy"));
        var container = Container(job, "submit");
        var args = container.Seq("args").Select(a => a.Scalar()).ToList();
        var (invocation, problems) = CliSurface.Parse(args);
        Assert.True(problems.Count == 0, string.Join("; ", problems));
        Assert.Equal("submit", invocation!.Command);
        string sweep = Assert.Single(invocation.Positionals);
        Assert.StartsWith("sweeps/", sweep);
        Assert.True(File.Exists(Repo.PathOf(sweep)), $"{sweep} does not exist");
        Assert.Equal(RedisAddress(), invocation.Options["--redis"]);
        Assert.Equal(PodLabels(One("Deployment", "tinynet-silo"))["orleans/clusterId"], invocation.Options.GetValueOrDefault("--cluster-id") ?? "tinynet");

        // --out must land on a mounted volume: the image's /app is not writable by its user.
        string output = invocation.Options["--out"]!;
        Assert.Contains(container.Seq("volumeMounts"), v => output.StartsWith(v.Str("mountPath")!.TrimEnd('/') + "/", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_variables_the_program_reads_are_set_and_ports_are_integers()
    {
        int ports = 0;
        foreach (var container in AllContainers())
        {
            if (container.Get("env") is YamlSequenceNode env)
                foreach (var name in env.Select(e => e.Str("name")!).Where(n => n.StartsWith("TINYNET_", StringComparison.Ordinal)))
                    Assert.True(CliSurface.EnvironmentVariables.Contains(name), $"{container.Str("name")}: {name} is not read by tinynet-sweeps");
            if (container.Get("ports") is YamlSequenceNode list)
                foreach (var port in list) { Assert.InRange(port.Int("containerPort"), 1, 65535); ports++; }
        }
        Assert.True(ports >= 3);
    }

    /// <summary>host:port of the redis Service, as pods in the same namespace reach it.</summary>
    static string RedisAddress()
    {
        var redis = One("Service", "redis");
        return $"{redis.Name}:{Assert.Single(redis.Root.Map("spec").Seq("ports")).Int("port")}";
    }
}
