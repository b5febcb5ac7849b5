using Occam.Core.Options;
using Occam.Inference;

namespace Occam.Core;

/// <summary>
/// One registered method: its name, what it does, its options record with defaults, and how to build
/// it. The catalog, the CLI's options, the store loader, reports and the contract tests loop over these.
/// </summary>
public sealed class MethodEntry
{
    private readonly Func<ModelSetup, object, IPosteriorMethod> _create;

    private MethodEntry(string name, string description, IMethodOptions defaults, Func<ModelSetup, object, IPosteriorMethod> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Description = description;
        DefaultOptions = defaults;
        _create = create;
        Options = OptionBinder.Describe(defaults);
    }

    /// <summary>Registers a method whose options record is <typeparamref name="TOptions"/>.</summary>
    /// <param name="name">The method name (lower case, e.g. "ensemble").</param>
    /// <param name="description">One line for help texts.</param>
    /// <param name="defaults">The default options.</param>
    /// <param name="create">Builds the method for a setup and (validated) options.</param>
    public static MethodEntry Create<TOptions>(string name, string description, TOptions defaults, Func<ModelSetup, TOptions, IPosteriorMethod> create)
        where TOptions : class, IMethodOptions
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(create);
        return new MethodEntry(name, description, defaults, (setup, options) => create(setup, (TOptions)options));
    }

    /// <summary>The method name.</summary>
    public string Name { get; }

    /// <summary>One line on what it does.</summary>
    public string Description { get; }

    /// <summary>The default options record.</summary>
    public IMethodOptions DefaultOptions { get; }

    /// <summary>Its bindable options.</summary>
    public IReadOnlyList<OptionDescriptor> Options { get; }

    /// <summary>Whether it has an option called <paramref name="option"/> (kebab case).</summary>
    public bool Takes(string option) => Options.Any(o => o.Name == option);

    /// <summary>The default options with the given ones set from text, validated.</summary>
    /// <exception cref="ArgumentException">An unknown option or a bad value; ParamName is the option's name.</exception>
    public IMethodOptions Bind(IReadOnlyDictionary<string, string> values)
    {
        var options = OptionBinder.Bind(DefaultOptions, values);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e) when (e.ParamName is { } property && Options.FirstOrDefault(o => o.Property.Name == property) is { } option)
        {
            throw new ArgumentException(e.Message.Split(" (Parameter")[0], option.Name, e);
        }
        return options;
    }

    /// <summary>Builds the method for <paramref name="setup"/> with <paramref name="options"/> (default: the defaults).</summary>
    public IPosteriorMethod Create(ModelSetup setup, IMethodOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        options ??= DefaultOptions;
        if (options.GetType() != DefaultOptions.GetType())
            throw new ArgumentException($"{Name} takes {DefaultOptions.GetType().Name}; got {options.GetType().Name}.", nameof(options));
        return _create(setup, options);
    }
}
