using PromptGen.Generator.Common;
using Microsoft.CodeAnalysis;
using PromptGen.Generator.Templates;

namespace PromptGen.Generator.Tests.Templates;

/// <summary>Template models built from Roslyn symbols: kinds, members, bounds and value equality.</summary>
public class TemplateTypeFactoryTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        namespace N
        {
            public enum E { A, B }
            public class Node
            {
                public string Label { get; set; } = "";
                public Node? Parent { get; set; }
                public List<Node> Children { get; } = new();
                private int Hidden;
                public static int Shared;
                public int this[int i] => i + Hidden;
                public string Field = "";
                protected string Protected = "";
                public string WriteOnly { set { } }
            }
            public interface IBase { int Id { get; } }
            public interface IThing : IBase { string Name { get; } }
            public record R(int X, string? Y);
            public class C
            {
                public Dictionary<string, int> D = new();
                public IEnumerable<int> Seq = new List<int>();
                public IReadOnlyList<string> RO = new List<string>();
                public IList<int> L = new List<int>();
                public ICollection<int> Coll = new List<int>();
                public int[] Arr = new int[0];
                public int?[] NArr = new int?[0];
                public object O = new();
                public Func<int> F = () => 1;
                public DateTimeOffset Dto;
                public E? NE;
                public List<List<string>> Nested = new();
            }
            public static class M { public static void Method(Node node, C c, IThing thing, R r, E e, int? ni, string s, DateTime? when) { } }
        }
        """;

    private static IMethodSymbol Method()
    {
        var compilation = TemplateHarness.CreateCompilation(Source, "Factory");
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return (IMethodSymbol)compilation.GetTypeByMetadataName("N.M")!.GetMembers("Method").Single();
    }

    private static TemplateType Param(EquatableArray<TemplateParameter> parameters, string name) => parameters.Single(p => p.Name == name).Type;

    private static int CountNodes(TemplateType type)
    {
        int count = 1;
        foreach (TemplateMember member in type.Members)
        {
            count += CountNodes(member.Type);
        }

        return count + (type.ElementType == null ? 0 : CountNodes(type.ElementType));
    }

    [Fact]
    public void Scalars_and_nullable_value_types()
    {
        EquatableArray<TemplateParameter> parameters = TemplateTypeFactory.FromMethod(Method());

        Assert.Equal(new TemplateType("global::System.String", TemplateTypeKind.String, false), Param(parameters, "s"));
        TemplateType ni = Param(parameters, "ni");
        Assert.Equal(TemplateTypeKind.Integer, ni.Kind);
        Assert.True(ni.IsNullableValueType);
        Assert.True(ni.CanBeNull);
        Assert.Equal("global::System.Int32?", ni.DisplayName);
        TemplateType e = Param(parameters, "e");
        Assert.Equal(TemplateTypeKind.Enum, e.Kind);
        Assert.Equal(new[] { "A", "B" }, e.EnumMembers.ToArray());
        Assert.False(e.CanBeNull);
        TemplateType when = Param(parameters, "when");
        Assert.Equal(TemplateTypeKind.DateTime, when.Kind);
        Assert.True(when.IsNullableValueType);
    }

    [Fact]
    public void Members_are_public_readable_instance_properties_and_fields()
    {
        TemplateType node = Param(TemplateTypeFactory.FromMethod(Method()), "node");

        Assert.Equal(TemplateTypeKind.Object, node.Kind);
        Assert.Equal(new[] { "Label", "Parent", "Children", "Field" }, node.Members.Select(m => m.Name).ToArray());
        TemplateType children = node.FindMember("Children")!.Type;
        Assert.Equal(TemplateTypeKind.Enumerable, children.Kind);
        Assert.Equal("Count", children.CountMember);
        Assert.False(children.Indexable);
        Assert.Equal("global::N.Node", children.ElementType!.Name);
    }

    [Fact]
    public void Interfaces_include_inherited_members_and_records_hide_EqualityContract()
    {
        EquatableArray<TemplateParameter> parameters = TemplateTypeFactory.FromMethod(Method());

        Assert.Equal(new[] { "Name", "Id" }, Param(parameters, "thing").Members.Select(m => m.Name).ToArray());
        Assert.Equal(new[] { "X", "Y" }, Param(parameters, "r").Members.Select(m => m.Name).ToArray());
    }

    [Fact]
    public void Collections_dictionaries_and_others()
    {
        TemplateType c = Param(TemplateTypeFactory.FromMethod(Method()), "c");
        TemplateType Member(string name) => c.FindMember(name)!.Type;

        Assert.Equal(TemplateTypeKind.Other, Member("D").Kind);
        Assert.Equal(TemplateTypeKind.Other, Member("O").Kind);
        Assert.Equal(TemplateTypeKind.Other, Member("F").Kind);
        Assert.Equal(TemplateTypeKind.DateTimeOffset, Member("Dto").Kind);
        Assert.True(Member("NE").IsNullableValueType);

        Assert.Equal((TemplateTypeKind.Enumerable, (string?)null, false), (Member("Seq").Kind, Member("Seq").CountMember, Member("Seq").Indexable));
        Assert.Equal((TemplateTypeKind.Enumerable, (string?)"Count", true), (Member("RO").Kind, Member("RO").CountMember, Member("RO").Indexable));
        Assert.Equal((TemplateTypeKind.Enumerable, (string?)"Count", true), (Member("L").Kind, Member("L").CountMember, Member("L").Indexable));
        Assert.Equal((TemplateTypeKind.Enumerable, (string?)"Count", false), (Member("Coll").Kind, Member("Coll").CountMember, Member("Coll").Indexable));
        Assert.Equal((TemplateTypeKind.Enumerable, (string?)"Length", false), (Member("Arr").Kind, Member("Arr").CountMember, Member("Arr").Indexable));
        Assert.True(Member("NArr").ElementType!.IsNullableValueType);
        Assert.Equal(TemplateTypeKind.String, Member("Nested").ElementType!.ElementType!.Kind);
    }

    [Fact]
    public void Recursive_types_are_bounded_without_a_template()
    {
        TemplateType node = Param(TemplateTypeFactory.FromMethod(Method()), "node");

        int nodes = CountNodes(node);
        Assert.InRange(nodes, 10, TemplateTypeFactory.MaxNodes + 1);

        TemplateType deepest = node;
        int depth = 0;
        while (deepest.FindMember("Parent") is { } parent)
        {
            deepest = parent.Type;
            depth++;
        }

        Assert.Equal(TemplateTypeFactory.DefaultMaxDepth, depth);
        Assert.True(deepest.MembersTruncated);
    }

    [Fact]
    public void A_template_limits_the_members_captured()
    {
        EquatableArray<TemplateParameter> parameters = TemplateTypeFactory.FromMethod(Method(), "{{ node.Parent.Parent.Label }}{{ thing.Id }}");

        TemplateType node = Param(parameters, "node");
        Assert.Equal(new[] { "Label", "Parent" }, node.Members.Select(m => m.Name).ToArray());
        Assert.True(CountNodes(node) < 30, CountNodes(node).ToString());
        Assert.Equal(new[] { "Id" }, Param(parameters, "thing").Members.Select(m => m.Name).ToArray());
        Assert.Empty(Param(parameters, "c").Members);
    }

    [Fact]
    public void Models_from_separate_compilations_are_equal()
    {
        const string template = "{{ for n in node.Children }}{{ n.Label }}{{ end }}{{ c.RO | array.join ',' }}";
        EquatableArray<TemplateParameter> a = TemplateTypeFactory.FromMethod(Method(), template);
        EquatableArray<TemplateParameter> b = TemplateTypeFactory.FromMethod(Method(), template);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, TemplateTypeFactory.FromMethod(Method(), template + "{{ node.Field }}"));
    }
}
