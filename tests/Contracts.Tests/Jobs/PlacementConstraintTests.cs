using Sched.Contracts.Jobs;

namespace Sched.Contracts.Tests.Jobs;

public class PlacementConstraintTests
{
    [Theory]
    [InlineData("node != node1", "node", ConstraintOperator.NotEqual, "node1")]
    [InlineData("arch == arm64", "arch", ConstraintOperator.Equal, "arm64")]
    [InlineData("arch==arm64", "arch", ConstraintOperator.Equal, "arm64")]
    [InlineData("  zone  !=  eu-1  ", "zone", ConstraintOperator.NotEqual, "eu-1")]
    [InlineData("kubernetes.io/os == linux", "kubernetes.io/os", ConstraintOperator.Equal, "linux")]
    public void Constraints_read_attribute_operator_and_value(
        string text, string attribute, ConstraintOperator op, string value)
    {
        var spec = Manifests.ValidYaml($"image: x\nplacement: {{ constraints: [\"{text}\"] }}");
        Assert.Equal(new PlacementConstraint(attribute, op, value), Assert.Single(spec.Placement.Constraints));
    }

    [Fact]
    public void Constraints_print_in_the_form_they_are_written()
    {
        Assert.Equal("node != node1", new PlacementConstraint("node", ConstraintOperator.NotEqual, "node1").ToString());
    }

    [Fact]
    public void Single_equals_sign_suggests_double_equals()
    {
        var error = Manifests.SingleError("image: x\nplacement: { constraints: [\"node != a\", \"arch = arm64\"] }");
        Assert.Equal("placement.constraints[1]", error.Field);
        Assert.Contains("uses '='; write 'arch == arm64'", error.Message);
    }

    [Theory]
    [InlineData("arch", "is not a constraint")]
    [InlineData("arch ~= arm64", "is not a constraint")]
    [InlineData("arch ==", "must be non-empty and without spaces")]
    [InlineData("arch == arm 64", "must be non-empty and without spaces")]
    [InlineData("ar*ch == arm64", "is not node or a label key")]
    public void Malformed_constraints_name_the_accepted_form(string text, string expected)
    {
        var error = Manifests.SingleError($"image: x\nplacement: {{ constraints: [\"{text}\"] }}");
        Assert.Equal("placement.constraints[0]", error.Field);
        Assert.Contains(expected, error.Message);
        Assert.Contains("'ATTR == VALUE' or 'ATTR != VALUE'", error.Message);
    }

    [Fact]
    public void Every_bad_constraint_is_reported_by_its_index()
    {
        var result = Manifests.Yaml("image: x\nplacement: { constraints: [\"a = b\", \"node != n1\", {}, \"c\"] }");
        Assert.Equal(
            ["placement.constraints[0]", "placement.constraints[2]", "placement.constraints[3]"],
            result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Constraints_as_a_single_string_ask_for_a_list()
    {
        var error = Manifests.SingleError("image: x\nplacement: { constraints: node != node1 }");
        Assert.Equal("placement.constraints", error.Field);
        Assert.Contains("must be a list of strings, not a single string", error.Message);
    }
}
