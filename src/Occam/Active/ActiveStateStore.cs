using System.Text.Json;
using Occam.Core;
using Occam.Data;
using Occam.Posteriors.Storage;
using Occam.Reporting;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>
/// Keeps one active-learning run's <see cref="ActiveRunState"/> in a folder (<c>state.json</c>, written
/// atomically, plus <c>warm-ROUND.bin</c> for warm starts), so an interrupted run resumes at the round it
/// was in and ends with the same results as an uninterrupted one. The weights file is written before the
/// state that names it, so the two never disagree.
/// </summary>
public sealed class ActiveStateStore
{
    /// <summary>The name of the state file in a run's state folder.</summary>
    public const string StateFile = "state.json";

    /// <summary>Uses <paramref name="directory"/> (created on the first save).</summary>
    public ActiveStateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
    }

    /// <summary>The state folder.</summary>
    public string Directory { get; }

    /// <summary>
    /// The saved state, or null when there is none. Its settings must equal <paramref name="settings"/>;
    /// warm-start weights are loaded into <paramref name="warm"/> when given.
    /// </summary>
    /// <exception cref="ArgumentException">The state was saved with other settings; the message names the first that differs.</exception>
    /// <exception cref="DataFormatException">The state file is not a readable state of this format.</exception>
    public ActiveRunState? Load(IReadOnlyDictionary<string, string> settings, WarmStart? warm)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = Path.Combine(Directory, StateFile);
        if (!File.Exists(path)) return null;
        ActiveRunState? state;
        try
        {
            state = JsonReport.Deserialize<ActiveRunState>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, null, null, $"not a readable active-learning state ({e.Message.Split('\n')[0]})");
        }
        if (state is null || state.Format != ActiveRunState.FormatName || state.Labelled is null || state.Rounds is null || state.Settings is null)
            throw new DataFormatException(path, null, null, $"not an active-learning state (expected format \"{ActiveRunState.FormatName}\")");
        if (state.Version != ActiveRunState.CurrentVersion)
            throw new DataFormatException(path, null, null, $"active-learning state version {state.Version}; this Occam reads version {ActiveRunState.CurrentVersion}");
        foreach (var (key, value) in settings)
        {
            var saved = state.Settings.GetValueOrDefault(key);
            if (saved != value)
                throw new ArgumentException($"the saved run in {Directory} has {key} {saved ?? "(none)"}, this run {value}; resume with the same settings, or use another state folder", "state");
        }
        if (warm is not null && state.WarmFile is { } file)
        {
            var tensors = TensorBundle.Read(Path.Combine(Directory, file));
            try
            {
                warm.Load(tensors.ToDictionary(kv => int.Parse(kv.Key.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value));
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
        }
        return state;
    }

    /// <summary>
    /// The finished run saved in <paramref name="directory"/>, or null when it holds no state or the run has not
    /// finished (e.g. to gather runs that several processes saved). Its seconds are the rounds' fit and scoring time.
    /// </summary>
    /// <exception cref="DataFormatException">The state file is not a readable state of this format.</exception>
    public static ActiveLearningRun? ReadFinished(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path)) return null;
        ActiveRunState? state;
        try
        {
            state = JsonReport.Deserialize<ActiveRunState>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, null, null, $"not a readable active-learning state ({e.Message.Split('\n')[0]})");
        }
        if (state is not { Finished: true, Settings: not null, Rounds: not null, Labelled: not null }) return null;
        long seed = long.Parse(state.Settings.GetValueOrDefault("seed") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        return new ActiveLearningRun(state.Settings.GetValueOrDefault("method") ?? "", state.Settings.GetValueOrDefault("acquisition") ?? "", seed,
            state.Rounds, state.Labelled, state.Rounds.Sum(r => r.FitSeconds + r.ScoreSeconds));
    }

    /// <summary>Writes <paramref name="state"/> (and the warm-start weights, when given) atomically.</summary>
    public ActiveRunState Save(ActiveRunState state, WarmStart? warm)
    {
        ArgumentNullException.ThrowIfNull(state);
        System.IO.Directory.CreateDirectory(Directory);
        if (warm is not null && warm.Count > 0)
        {
            var file = $"warm-{state.NextRound}.bin";
            TensorBundle.Write(Path.Combine(Directory, file), warm.Weights.ToDictionary(kv => $"slot{kv.Key}", kv => kv.Value));
            state = state with { WarmFile = file };
        }
        AtomicFile.WriteAllText(Path.Combine(Directory, StateFile), JsonReport.Serialize(state) + "\n");
        foreach (var stale in System.IO.Directory.EnumerateFiles(Directory, "warm-*.bin"))
            if (Path.GetFileName(stale) != state.WarmFile) File.Delete(stale);
        return state;
    }
}
