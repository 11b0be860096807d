using System.Reflection;
using Microsoft.AspNetCore.Components;

namespace LoadCluster.Turbo;

/// <summary>Turns what a caller passes as parameters (anonymous object or dictionary) into a <see cref="ParameterView"/>.</summary>
internal static class ComponentParameters
{
    public static ParameterView From(object? parameters) => parameters switch
    {
        null => ParameterView.Empty,
        IDictionary<string, object?> dictionary => ParameterView.FromDictionary(dictionary),
        IReadOnlyDictionary<string, object?> dictionary => ParameterView.FromDictionary(dictionary.ToDictionary()),
        // An anonymous object's public properties, as RazorComponentResult takes them.
        _ => ParameterView.FromDictionary(parameters.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetIndexParameters().Length == 0)
            .ToDictionary(property => property.Name, property => property.GetValue(parameters))),
    };
}
