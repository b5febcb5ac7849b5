using System.Globalization;

namespace Occam.Distributed;

/// <summary>The settings of a plan's Kubernetes Indexed Job.</summary>
/// <param name="Name">The Job's name.</param>
/// <param name="StorePath">The store's path, where the volume is mounted in every pod.</param>
/// <param name="Command">The worker's command line inside the image (e.g. <c>occam work --store PATH</c>).</param>
/// <param name="Completions">The number of tasks N.</param>
/// <param name="Parallelism">The most pods at a time M.</param>
/// <param name="BackoffLimitPerIndex">Retries of each index before it counts as failed.</param>
/// <param name="Image">The container image holding Occam.</param>
/// <param name="ClaimName">The ReadWriteMany PersistentVolumeClaim holding the store.</param>
/// <param name="CpusPerTask">CPU request and limit of each pod (the worker's torch threads follow the cgroup limit), or null.</param>
public sealed record KubernetesJobSettings(string Name, string StorePath, IReadOnlyList<string> Command, int Completions, int Parallelism,
    int BackoffLimitPerIndex, string Image, string ClaimName, int? CpusPerTask = null);

/// <summary>
/// A plan as a Kubernetes Indexed Job (batch/v1): N completions, each pod running one task; Kubernetes sets
/// JOB_COMPLETION_INDEX in every pod, which <c>occam work</c> reads. Every pod mounts the store from a
/// ReadWriteMany volume at the store's own path, so paths in plan.json stay valid.
/// </summary>
public static class KubernetesJob
{
    /// <summary>The manifest as ordered maps and lists (see <see cref="YamlText"/>).</summary>
    public static OrderedDictionary<string, object> Manifest(KubernetesJobSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Completions < 1) throw new ArgumentException("A Job needs at least one completion.", nameof(settings));
        var labels = new OrderedDictionary<string, object> { ["app.kubernetes.io/name"] = "occam", ["occam/job"] = settings.Name };
        var container = new OrderedDictionary<string, object>
        {
            ["name"] = "work",
            ["image"] = settings.Image,
            ["command"] = settings.Command.Cast<object>().ToList(),
            ["volumeMounts"] = new List<object> { new OrderedDictionary<string, object> { ["name"] = "store", ["mountPath"] = settings.StorePath } },
        };
        if (settings.CpusPerTask is { } cpus)
        {
            var amount = cpus.ToString(CultureInfo.InvariantCulture);
            container["resources"] = new OrderedDictionary<string, object>
            {
                ["requests"] = new OrderedDictionary<string, object> { ["cpu"] = amount },
                ["limits"] = new OrderedDictionary<string, object> { ["cpu"] = amount },
            };
        }
        return new OrderedDictionary<string, object>
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new OrderedDictionary<string, object> { ["name"] = settings.Name, ["labels"] = labels },
            ["spec"] = new OrderedDictionary<string, object>
            {
                ["completionMode"] = "Indexed",
                ["completions"] = settings.Completions,
                ["parallelism"] = Math.Min(settings.Parallelism, settings.Completions),
                ["backoffLimitPerIndex"] = settings.BackoffLimitPerIndex,
                ["template"] = new OrderedDictionary<string, object>
                {
                    ["metadata"] = new OrderedDictionary<string, object> { ["labels"] = labels },
                    ["spec"] = new OrderedDictionary<string, object>
                    {
                        ["restartPolicy"] = "Never",
                        ["containers"] = new List<object> { container },
                        ["volumes"] = new List<object>
                        {
                            new OrderedDictionary<string, object>
                            {
                                ["name"] = "store",
                                ["persistentVolumeClaim"] = new OrderedDictionary<string, object> { ["claimName"] = settings.ClaimName },
                            },
                        },
                    },
                },
            },
        };
    }
}
