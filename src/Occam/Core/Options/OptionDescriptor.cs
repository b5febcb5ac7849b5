using System.Reflection;

namespace Occam.Core.Options;

/// <summary>One bindable option of a method: its name, type, description and default.</summary>
/// <param name="Name">The option name in kebab case (the command-line flag without dashes).</param>
/// <param name="Property">The options record's property it sets.</param>
/// <param name="Description">What it does.</param>
/// <param name="Default">The default value as text.</param>
public sealed record OptionDescriptor(string Name, PropertyInfo Property, string Description, string Default)
{
    /// <summary>The value type (nullable types unwrapped).</summary>
    public Type ValueType => Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;

    /// <summary>Whether the option is a switch (bool).</summary>
    public bool IsSwitch => ValueType == typeof(bool);

    /// <summary>The accepted values of an enum option (their names in kebab case).</summary>
    public IReadOnlyList<string> Choices => ValueType.IsEnum ? Enum.GetNames(ValueType).Select(OptionBinder.Kebab).ToArray() : [];
}
