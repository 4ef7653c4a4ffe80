using System.Collections.Generic;
using System.Globalization;
using System.Text;
using PromptGen.Generator.Common;

namespace PromptGen.Generator.Structured
{
    /// <summary>
    /// Writes the JSON Schema (a draft 2020-12 subset that Bedrock's outputConfig json_schema and tool inputSchema
    /// accept) for a <see cref="StructuredTypeModel"/>. Pure and deterministic: compact JSON, fixed key order,
    /// properties in declaration order.
    /// </summary>
    /// <remarks>
    /// Conventions: objects are <c>{"type":"object","properties":…,"required":[…],"additionalProperties":false}</c>;
    /// nested types are written inline, except types on a cycle, which go once to <c>$defs</c> (keyed by the
    /// definition's Id) and are referenced with <c>{"$ref":"#/$defs/Id"}</c>; enums are string enums; integers are
    /// <c>integer</c>, floating and decimal types <c>number</c>; DateTime/DateTimeOffset are strings of format
    /// date-time (DateOnly: date, Guid: uuid, Uri: uri); a nullable primitive, array or dictionary is
    /// <c>"type":[t,"null"]</c>, a nullable object, enum or reference is <c>anyOf [schema, {"type":"null"}]</c>;
    /// [Description] becomes "description" (a property's own description wins over its type's; enum member
    /// descriptions are appended to the enum's). A root that is not a non-nullable object is wrapped:
    /// <c>{"type":"object","properties":{"value":…},"required":["value"],"additionalProperties":false}</c>.
    /// </remarks>
    internal static class StructuredSchemaEmitter
    {
        /// <summary>The name of the single property of a wrapped root.</summary>
        public const string WrapperPropertyName = "value";

        /// <summary>The schema to send to Bedrock: wrapped when <see cref="StructuredTypeModel.IsWrapped"/>.</summary>
        public static string EmitSchema(StructuredTypeModel model) => Emit(model, model.IsWrapped);

        /// <summary>The schema of T itself, never wrapped (for documentation and checks).</summary>
        public static string EmitValueSchema(StructuredTypeModel model) => Emit(model, wrap: false);

        private static string Emit(StructuredTypeModel model, bool wrap)
        {
            StringBuilder builder = StringBuilderPool.Get();
            var writer = new Writer(model, builder);
            if (wrap)
            {
                builder.Append("{\"type\":\"object\",\"properties\":{");
                AppendString(builder, WrapperPropertyName);
                builder.Append(':');
                writer.WriteType(model.Root, null);
                builder.Append("},\"required\":[");
                AppendString(builder, WrapperPropertyName);
                builder.Append("],\"additionalProperties\":false");
                writer.WriteDefs();
                builder.Append('}');
            }
            else if (model.HasRecursion)
            {
                // $defs must sit at the root. The root object is written inline (not as a $ref) so the
                // document itself stays {"type":"object",…}; inner uses of its type refer to $defs.
                var inner = new StringBuilder();
                new Writer(model, inner).WriteRootObject();
                builder.Append(inner.ToString(), 0, inner.Length - 1);
                writer.WriteDefs();
                builder.Append('}');
            }
            else
            {
                writer.WriteType(model.Root, null);
            }

            return StringBuilderPool.ToStringAndFree(builder);
        }

        private sealed class Writer
        {
            private readonly StructuredTypeModel model;
            private readonly StringBuilder builder;

            public Writer(StructuredTypeModel model, StringBuilder builder)
            {
                this.model = model;
                this.builder = builder;
            }

            public void WriteRootObject()
            {
                StructuredTypeDefinition? definition = model.Find(model.Root.DefinitionKey);
                if (definition is null)
                {
                    builder.Append("{}");
                    return;
                }

                WriteObject(definition, null);
            }

            public void WriteDefs()
            {
                if (!model.HasRecursion)
                {
                    return;
                }

                builder.Append(",\"$defs\":{");
                bool first = true;
                foreach (StructuredTypeDefinition definition in model.Definitions)
                {
                    if (!definition.IsRecursive)
                    {
                        continue;
                    }

                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    AppendString(builder, definition.Id);
                    builder.Append(':');
                    WriteObject(definition, null);
                }

                builder.Append('}');
            }

            public void WriteType(StructuredTypeRef type, string? description)
            {
                switch (type.Kind)
                {
                    case StructuredTypeKind.Primitive:
                        WritePrimitive(type, description);
                        return;
                    case StructuredTypeKind.Collection:
                        builder.Append("{\"type\":");
                        AppendTypeName(builder, "array", type.IsNullable);
                        AppendDescription(description);
                        builder.Append(",\"items\":");
                        WriteType(type.Element!, null);
                        builder.Append('}');
                        return;
                    case StructuredTypeKind.Dictionary:
                        builder.Append("{\"type\":");
                        AppendTypeName(builder, "object", type.IsNullable);
                        AppendDescription(description);
                        builder.Append(",\"additionalProperties\":");
                        WriteType(type.Element!, null);
                        builder.Append('}');
                        return;
                }

                StructuredTypeDefinition? definition = model.Find(type.DefinitionKey);
                if (definition is null)
                {
                    builder.Append("{}");
                    return;
                }

                if (type.IsNullable)
                {
                    builder.Append('{');
                    if (description is not null)
                    {
                        builder.Append("\"description\":");
                        AppendString(builder, description);
                        builder.Append(',');
                    }

                    builder.Append("\"anyOf\":[");
                    WriteDefinition(definition, null);
                    builder.Append(",{\"type\":\"null\"}]}");
                    return;
                }

                WriteDefinition(definition, description);
            }

            private void WriteDefinition(StructuredTypeDefinition definition, string? description)
            {
                if (definition.Kind == StructuredTypeKind.Enum)
                {
                    WriteEnum(definition, description);
                }
                else if (definition.IsRecursive)
                {
                    builder.Append("{\"$ref\":");
                    AppendString(builder, "#/$defs/" + definition.Id);
                    AppendDescription(description);
                    builder.Append('}');
                }
                else
                {
                    WriteObject(definition, description);
                }
            }

            private void WriteObject(StructuredTypeDefinition definition, string? description)
            {
                builder.Append("{\"type\":\"object\"");
                AppendDescription(description ?? definition.Description);
                builder.Append(",\"properties\":{");
                for (int i = 0; i < definition.Properties.Count; i++)
                {
                    StructuredProperty property = definition.Properties[i];
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    AppendString(builder, property.JsonName);
                    builder.Append(':');
                    WriteType(property.Type, property.Description);
                }

                builder.Append("},\"required\":[");
                bool first = true;
                foreach (StructuredProperty property in definition.Properties)
                {
                    if (!property.IsRequired)
                    {
                        continue;
                    }

                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    AppendString(builder, property.JsonName);
                }

                builder.Append("],\"additionalProperties\":false}");
            }

            private void WriteEnum(StructuredTypeDefinition definition, string? description)
            {
                builder.Append("{\"type\":\"string\"");
                string? text = description ?? definition.Description;
                var memberNotes = new List<string>();
                foreach (StructuredEnumMember member in definition.EnumMembers)
                {
                    if (member.Description is not null)
                    {
                        memberNotes.Add(member.JsonName + ": " + member.Description);
                    }
                }

                if (memberNotes.Count > 0)
                {
                    string notes = string.Join("; ", memberNotes) + ".";
                    text = text is null ? notes : text.TrimEnd() + (text.TrimEnd().EndsWith(".", System.StringComparison.Ordinal) ? " " : ". ") + notes;
                }

                AppendDescription(text);
                builder.Append(",\"enum\":[");
                for (int i = 0; i < definition.EnumMembers.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    AppendString(builder, definition.EnumMembers[i].JsonName);
                }

                builder.Append("]}");
            }

            private void WritePrimitive(StructuredTypeRef type, string? description)
            {
                string jsonType;
                string? format = null;
                switch (type.Primitive)
                {
                    case StructuredPrimitive.Boolean:
                        jsonType = "boolean";
                        break;
                    case StructuredPrimitive.Byte:
                    case StructuredPrimitive.SByte:
                    case StructuredPrimitive.Int16:
                    case StructuredPrimitive.UInt16:
                    case StructuredPrimitive.Int32:
                    case StructuredPrimitive.UInt32:
                    case StructuredPrimitive.Int64:
                    case StructuredPrimitive.UInt64:
                        jsonType = "integer";
                        break;
                    case StructuredPrimitive.Single:
                    case StructuredPrimitive.Double:
                    case StructuredPrimitive.Decimal:
                        jsonType = "number";
                        break;
                    case StructuredPrimitive.DateTime:
                    case StructuredPrimitive.DateTimeOffset:
                        jsonType = "string";
                        format = "date-time";
                        break;
                    case StructuredPrimitive.DateOnly:
                        jsonType = "string";
                        format = "date";
                        break;
                    case StructuredPrimitive.Guid:
                        jsonType = "string";
                        format = "uuid";
                        break;
                    case StructuredPrimitive.Uri:
                        jsonType = "string";
                        format = "uri";
                        break;
                    default:
                        jsonType = "string";
                        break;
                }

                builder.Append("{\"type\":");
                AppendTypeName(builder, jsonType, type.IsNullable);
                if (format is not null)
                {
                    builder.Append(",\"format\":");
                    AppendString(builder, format);
                }

                AppendDescription(description);
                builder.Append('}');
            }

            private void AppendDescription(string? description)
            {
                if (description is null)
                {
                    return;
                }

                builder.Append(",\"description\":");
                AppendString(builder, description);
            }
        }

        private static void AppendTypeName(StringBuilder builder, string type, bool nullable)
        {
            if (nullable)
            {
                builder.Append("[\"").Append(type).Append("\",\"null\"]");
            }
            else
            {
                builder.Append('"').Append(type).Append('"');
            }
        }

        /// <summary>Appends a JSON string literal (RFC 8259 escaping; non-ASCII kept as is).</summary>
        internal static void AppendString(StringBuilder builder, string value)
        {
            builder.Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    case '\b': builder.Append("\\b"); break;
                    case '\f': builder.Append("\\f"); break;
                    default:
                        if (c < 0x20 || c == '\u2028' || c == '\u2029')
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            builder.Append('"');
        }
    }
}
