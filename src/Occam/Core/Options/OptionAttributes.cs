namespace Occam.Core.Options;

/// <summary>Marks a method's options record: <see cref="Validate"/> throws <see cref="ArgumentException"/> whose ParamName is the bad property.</summary>
public interface IMethodOptions
{
    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the option (its property name) and what was expected.</summary>
    void Validate();
}

/// <summary>Gives an option a command-line name other than its property name in kebab case (e.g. "ivon-lr").</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionNameAttribute(string name) : Attribute
{
    /// <summary>The name, without leading dashes.</summary>
    public string Name { get; } = name;
}

/// <summary>Keeps a property out of the bound options (set from code only).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionIgnoreAttribute : Attribute;

/// <summary>Other names an enum value accepts when parsed from text (e.g. "diag" for Diagonal).</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class OptionAliasAttribute(params string[] names) : Attribute
{
    /// <summary>The accepted names.</summary>
    public IReadOnlyList<string> Names { get; } = names;
}
