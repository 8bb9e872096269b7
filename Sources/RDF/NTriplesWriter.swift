/// Writes terms and triples in RDF 1.1 N-Triples syntax (<https://www.w3.org/TR/n-triples/>).
public enum NTriplesWriter {
    /// One term in N-Triples syntax: `<iri>`, `_:label` or a quoted literal with its tag or datatype.
    public static func format(_ term: Term) -> String {
        switch term {
        case .iri(let iri): return "<" + escapeIRI(iri.value) + ">"
        case .blank(let node): return "_:" + node.id
        case .literal(let literal):
            var out = "\"" + escapeString(literal.lexicalForm) + "\""
            if let language = literal.language {
                out += "@" + language
            } else if literal.datatype != Vocabulary.XSD.string {
                out += "^^<" + escapeIRI(literal.datatype.value) + ">"
            }
            return out
        }
    }

    /// One triple as an N-Triples line, with the final ` .` and no newline.
    public static func line(_ triple: Triple) -> String {
        format(triple.subject) + " " + format(triple.predicate) + " " + format(triple.object) + " ."
    }

    /// Escapes a literal's lexical form: `"`, `\`, and the line breaks, as canonical N-Triples does (§4).
    static func escapeString(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 == 0x0A || $0 == 0x0D }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes characters that may not appear raw inside `<...>` as `\uXXXX`.
    static func escapeIRI(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value <= 0x20 || "<>\"{}|^`\\".unicodeScalars.contains($0) }) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if scalar.value <= 0x20 || "<>\"{}|^`\\".unicodeScalars.contains(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
