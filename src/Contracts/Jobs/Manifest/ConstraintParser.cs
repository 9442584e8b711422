using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads a placement constraint such as <c>node != node1</c> or <c>arch == arm64</c>.</summary>
internal static partial class ConstraintParser
{
    public const string Hint =
        "'ATTR == VALUE' or 'ATTR != VALUE', where ATTR is node or a node label, e.g. \"node != node1\" or \"arch == arm64\"";

    public static bool TryParse(
        string text, [NotNullWhen(true)] out PlacementConstraint? constraint, [NotNullWhen(false)] out string? error)
    {
        constraint = null;
        var match = ConstraintPattern().Match(text);
        if (!match.Success)
        {
            error = $"'{text}' is not a constraint; use {Hint}";
            return false;
        }

        var attribute = match.Groups["attribute"].Value;
        var op = match.Groups["operator"].Value;
        var value = match.Groups["value"].Value;
        if (op == "=")
        {
            error = $"'{text}' uses '='; write '{attribute} == {value}' (constraints are {Hint})";
        }
        else if (!AttributePattern().IsMatch(attribute))
        {
            error = $"'{attribute}' is not node or a label key (letters, digits and _ . - /); use {Hint}";
        }
        else if (value.Length == 0 || value.Any(char.IsWhiteSpace))
        {
            error = $"the value in '{text}' must be non-empty and without spaces; use {Hint}";
        }
        else
        {
            error = null;
            var comparison = op == "==" ? ConstraintOperator.Equal : ConstraintOperator.NotEqual;
            constraint = new PlacementConstraint(attribute, comparison, value);
            return true;
        }

        return false;
    }

    // The attribute is checked separately so that a bad one gets its own message.
    [GeneratedRegex(@"^\s*(?<attribute>[^\s=!]+)\s*(?<operator>==|!=|=)\s*(?<value>.*?)\s*\z", RegexOptions.Singleline)]
    private static partial Regex ConstraintPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-/]+\z")]
    private static partial Regex AttributePattern();
}
