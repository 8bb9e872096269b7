import RDF

/// The value of a numeric literal, for built-ins and OWL 2 RL cardinality checks (XSD 1.1 Part 2 §3.3).
///
/// The integer family (xsd:integer, int, long, nonNegativeInteger, ...) is held exactly as `Int`;
/// xsd:decimal, xsd:double and xsd:float as `Double` (decimals beyond 15-17 significant digits lose precision).
public enum NumericValue: Hashable, Sendable, Comparable {
    /// A value of xsd:integer or a type derived from it.
    case integer(Int)
    /// A value of xsd:decimal.
    case decimal(Double)
    /// A value of xsd:double or xsd:float.
    case double(Double)

    /// XSD datatypes derived from xsd:integer.
    static let integerTypes: Set<String> = [
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
        "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    ].reduce(into: Set<String>()) { $0.insert(Vocabulary.XSD.namespace + $1) }

    /// The value of `literal`, or nil when it is not numeric or its lexical form is not valid for its type.
    public init?(_ literal: Literal) {
        let datatype = literal.datatype.value
        let lexical = literal.lexicalForm.trimmingSpaces
        if NumericValue.integerTypes.contains(datatype) {
            guard let value = Int(lexical.hasPrefix("+") ? String(lexical.dropFirst()) : lexical) else { return nil }
            self = .integer(value)
        } else if datatype == Vocabulary.XSD.decimal.value {
            guard !lexical.contains(where: { $0 == "e" || $0 == "E" }), let value = Double(lexical) else { return nil }
            self = .decimal(value)
        } else if datatype == Vocabulary.XSD.double.value || datatype == Vocabulary.XSD.namespace + "float" {
            switch lexical {
            case "INF", "+INF": self = .double(.infinity)
            case "-INF": self = .double(-.infinity)
            case "NaN": self = .double(.nan)
            default:
                guard let value = Double(lexical) else { return nil }
                self = .double(value)
            }
        } else {
            return nil
        }
    }

    /// The value as a Double (exact for integers up to 2^53).
    public var doubleValue: Double {
        switch self {
        case .integer(let value): return Double(value)
        case .decimal(let value), .double(let value): return value
        }
    }

    /// The literal for this value: xsd:integer, xsd:decimal or xsd:double.
    public var literal: Literal {
        switch self {
        case .integer(let value): return Literal(String(value), datatype: Vocabulary.XSD.integer)
        case .decimal(let value):
            if value == value.rounded(), abs(value) < 1e15 { return Literal("\(Int(value)).0", datatype: Vocabulary.XSD.decimal) }
            return Literal("\(value)", datatype: Vocabulary.XSD.decimal)
        case .double(let value): return Literal("\(value)", datatype: Vocabulary.XSD.double)
        }
    }

    /// Numeric comparison across the numeric types (XPath op:numeric-less-than).
    public static func < (lhs: NumericValue, rhs: NumericValue) -> Bool {
        if case .integer(let a) = lhs, case .integer(let b) = rhs { return a < b }
        return lhs.doubleValue < rhs.doubleValue
    }

    /// Numeric equality across the numeric types (XPath op:numeric-equal): `1` equals `1.0`.
    public func numericallyEquals(_ other: NumericValue) -> Bool {
        if case .integer(let a) = self, case .integer(let b) = other { return a == b }
        return doubleValue == other.doubleValue
    }

    /// The promoted type of two operands (XPath §B.1): integer < decimal < double.
    static func combine(_ a: NumericValue, _ b: NumericValue,
                        integer: (Int, Int) -> (Int, Bool), real: (Double, Double) -> Double) -> NumericValue? {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            let (result, overflow) = integer(x, y)
            return overflow ? nil : .integer(result)
        case (.double, _), (_, .double): return .double(real(a.doubleValue, b.doubleValue))
        default: return .decimal(real(a.doubleValue, b.doubleValue))
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks (XSD whitespace collapse for numbers).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
