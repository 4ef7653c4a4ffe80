using PromptGen.Generator.Common;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PromptGen.Generator.Templates;

namespace PromptGen.Generator.Prompts
{
    /// <summary>
    /// Reads PromptGen's attributes from Roslyn's <see cref="AttributeData"/>: one implementation for the generator's parser
    /// and the analyzers, so both see the same written values. A named argument is <em>written</em> when it is present in
    /// <see cref="AttributeData.NamedArguments"/>; an argument with an error value counts as not written. The analyzers also
    /// ask where an argument was written (<see cref="ArgumentLocation"/>), which the generator never needs.
    /// </summary>
    internal static class PromptAttributeReader
    {
        /// <summary>The metadata name of <c>[Prompt]</c>.</summary>
        public const string PromptAttributeName = "PromptGen.PromptAttribute";

        /// <summary>The metadata name of <c>[PromptVariant]</c>.</summary>
        public const string VariantAttributeName = "PromptGen.PromptVariantAttribute";

        /// <summary>The metadata name of <c>[VariantKey]</c>.</summary>
        public const string VariantKeyAttributeName = "PromptGen.VariantKeyAttribute";

        /// <summary>The metadata name of <c>[SystemPrompt]</c>.</summary>
        public const string SystemPromptAttributeName = "PromptGen.SystemPromptAttribute";

        /// <summary>The metadata name of <c>[UserPrompt]</c>.</summary>
        public const string UserPromptAttributeName = "PromptGen.UserPromptAttribute";

        /// <summary>The first attribute whose class is <paramref name="name"/> (metadata name), or null.</summary>
        public static AttributeData? Find(ImmutableArray<AttributeData> attributes, string name)
        {
            foreach (AttributeData attribute in attributes)
            {
                if (AttributeClass.Is(attribute, name))
                {
                    return attribute;
                }
            }

            return null;
        }

        /// <summary>The text of a <c>[SystemPrompt]</c>/<c>[UserPrompt]</c>: inline or a file, or null when neither is given.</summary>
        public static PromptText? ReadText(ImmutableArray<AttributeData> attributes, string name) => ReadText(Find(attributes, name));

        /// <summary>The text of one <c>[SystemPrompt]</c>/<c>[UserPrompt]</c> attribute, or null.</summary>
        public static PromptText? ReadText(AttributeData? attribute)
        {
            if (attribute is null)
            {
                return null;
            }

            string? inline = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;
            string? file = null;
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == "File")
                {
                    file = argument.Value.Value as string;
                }
                else if (argument.Key is "Text" or "Template")
                {
                    inline = argument.Value.Value as string;
                }
            }

            return inline is null && file is null ? null : new PromptText(inline, file);
        }

        /// <summary>The named arguments written on one <c>[Prompt]</c> (all null for a null attribute).</summary>
        public static PromptSettings ReadSettings(AttributeData? attribute)
        {
            if (attribute is null)
            {
                return PromptSettings.Empty;
            }

            int? useCase = null;
            string? model = null;
            double? temperature = null, topP = null;
            int? topK = null, maxTokens = null;
            EquatableArray<string>? stops = null;
            bool? latency = null, cachePrompt = null, cacheResponse = null;
            int? cacheResponseTtl = null;
            string? cachePromptTtl = null;
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                TypedConstant value = argument.Value;
                if (value.Kind == TypedConstantKind.Error)
                {
                    continue;
                }

                switch (argument.Key)
                {
                    case "UseCase": useCase = value.Value is int u ? u : null; break;
                    case "Model": model = value.Value as string; break;
                    case "Temperature": temperature = AsDouble(value.Value); break;
                    case "TopP": topP = AsDouble(value.Value); break;
                    case "TopK": topK = value.Value is int k ? k : null; break;
                    case "MaxTokens": maxTokens = value.Value is int m ? m : null; break;
                    case "LatencyOptimized": latency = value.Value as bool?; break;
                    case "CachePrompt": cachePrompt = value.Value as bool?; break;
                    case "CacheResponse": cacheResponse = value.Value as bool?; break;
                    case "CacheResponseTtlSeconds": cacheResponseTtl = value.Value is int ttl ? ttl : null; break;
                    case "CachePromptTtl": cachePromptTtl = value.Value as string; break;
                    case "StopSequences" when value.Kind == TypedConstantKind.Array && !value.IsNull:
                        var list = new List<string>();
                        foreach (TypedConstant item in value.Values)
                        {
                            if (item.Value is string s)
                            {
                                list.Add(s);
                            }
                        }

                        stops = new EquatableArray<string>(list.ToArray());
                        break;
                }
            }

            return new PromptSettings(useCase, model, temperature, topP, topK, maxTokens, stops, latency, cachePrompt, cacheResponse, cacheResponseTtl, cachePromptTtl);
        }

        /// <summary>Every <c>[PromptVariant]</c> among <paramref name="attributes"/>, in declaration order.</summary>
        public static List<AttributeData> FindVariants(ImmutableArray<AttributeData> attributes)
        {
            var variants = new List<AttributeData>();
            foreach (AttributeData attribute in attributes)
            {
                if (AttributeClass.Is(attribute, VariantAttributeName))
                {
                    variants.Add(attribute);
                }
            }

            return variants;
        }

        /// <summary>
        /// One <c>[PromptVariant]</c>: its name (empty when not a constant), its weight (1 when not written) and the
        /// settings it writes. Only the arguments a variant may override are read; <c>UseCase</c> and caching stay the method's.
        /// </summary>
        public static VariantModel ReadVariant(AttributeData attribute)
        {
            string name = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string ?? string.Empty : string.Empty;
            double weight = 1;
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == "Weight" && argument.Value.Kind != TypedConstantKind.Error && AsDouble(argument.Value.Value) is double w)
                {
                    weight = w;
                }
            }

            PromptSettings all = ReadSettings(attribute);
            var overrides = new PromptSettings(null, all.Model, all.Temperature, all.TopP, all.TopK, all.MaxTokens, null, all.LatencyOptimized, null, null);
            return new VariantModel(name, weight, overrides);
        }

        /// <summary>Whether <paramref name="attribute"/> writes the named argument <paramref name="name"/> with a usable value.</summary>
        public static bool Writes(AttributeData? attribute, string name)
        {
            if (attribute is null)
            {
                return false;
            }

            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == name && argument.Value.Kind != TypedConstantKind.Error)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The attribute as written in source (<c>Prompt(...)</c>), or null for metadata-only attributes.</summary>
        public static AttributeSyntax? Syntax(AttributeData attribute, CancellationToken cancellationToken) =>
            attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

        /// <summary>The named argument <c>name = value</c> as written, or null.</summary>
        public static AttributeArgumentSyntax? ArgumentSyntax(AttributeData attribute, string name, CancellationToken cancellationToken)
        {
            AttributeArgumentListSyntax? list = Syntax(attribute, cancellationToken)?.ArgumentList;
            if (list is null)
            {
                return null;
            }

            foreach (AttributeArgumentSyntax argument in list.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                {
                    return argument;
                }
            }

            return null;
        }

        /// <summary>The positional argument at <paramref name="index"/> as written, or null.</summary>
        public static AttributeArgumentSyntax? PositionalArgumentSyntax(AttributeData attribute, int index, CancellationToken cancellationToken)
        {
            AttributeArgumentListSyntax? list = Syntax(attribute, cancellationToken)?.ArgumentList;
            if (list is null)
            {
                return null;
            }

            int position = 0;
            foreach (AttributeArgumentSyntax argument in list.Arguments)
            {
                if (argument.NameEquals is null && argument.NameColon is null)
                {
                    if (position == index)
                    {
                        return argument;
                    }

                    position++;
                }
            }

            return null;
        }

        /// <summary>
        /// Where the named argument <paramref name="name"/> is written (the whole <c>Temperature = 0.9</c>); the attribute
        /// when the argument cannot be found in source; null for an attribute with no source.
        /// </summary>
        public static Location? ArgumentLocation(AttributeData attribute, string name, CancellationToken cancellationToken)
        {
            AttributeArgumentSyntax? argument = ArgumentSyntax(attribute, name, cancellationToken);
            if (argument is not null)
            {
                return argument.GetLocation();
            }

            return Syntax(attribute, cancellationToken)?.GetLocation();
        }

        private static double? AsDouble(object? value) => value switch
        {
            double d => d,
            float f => f,
            int i => i,
            _ => null,
        };
    }
}
