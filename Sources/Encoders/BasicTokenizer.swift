import Foundation

/// BERT's basic tokenizer: text normalisation and splitting into words and punctuation, before WordPiece.
///
/// Follows the Hugging Face `BertNormalizer` then `BertPreTokenizer` (tokenizers library), the pipeline
/// `BertTokenizer` uses in transformers 5:
/// 1. clean: drop U+0000, U+FFFD and control characters (category C*, except tab, line feed and carriage return);
///    turn every White_Space character into a space;
/// 2. put spaces around CJK ideographs (the CJK Unified Ideographs blocks and extensions A–E, compatibility
///    ideographs and their supplement);
/// 3. strip accents (when enabled): canonical decomposition (NFD), then drop nonspacing marks (category Mn);
/// 4. lower-case (when enabled), character by character with the full Unicode mapping;
/// 5. split on whitespace, and make each punctuation character a word of its own. Punctuation is BERT's: ASCII
///    33–47, 58–64, 91–96, 123–126, and every Unicode P* category.
public struct BasicTokenizer: Sendable {
    /// Whether text is lower-cased.
    public let lowercase: Bool
    /// Whether accents are stripped (NFD, then nonspacing marks dropped).
    public let stripAccents: Bool

    /// A basic tokenizer; `stripAccents` defaults to `lowercase`, as in BERT's uncased models.
    public init(lowercase: Bool = true, stripAccents: Bool? = nil) {
        self.lowercase = lowercase
        self.stripAccents = stripAccents ?? lowercase
    }

    /// The words and punctuation marks of `text`, normalised.
    public func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        func emit(_ scalar: Unicode.Scalar) {
            if Self.isWhitespace(scalar) {
                flush()
            } else if Self.isPunctuation(scalar) || Self.isChineseCharacter(scalar) {
                flush()
                words.append(String(scalar))
            } else {
                current.append(scalar)
            }
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                // ASCII fast path: controls other than tab/LF/CR are dropped, tab/LF/CR are whitespace.
                if value == 0x09 || value == 0x0A || value == 0x0D || value == 0x20 {
                    flush()
                } else if value < 0x20 || value == 0x7F {
                    continue
                } else if lowercase, value >= 0x41, value <= 0x5A {
                    emit(Unicode.Scalar(value + 0x20)!)
                } else {
                    emit(scalar)
                }
                continue
            }
            if value == 0xFFFD || Self.isControl(scalar) { continue }
            if scalar.properties.isWhitespace {
                flush()
                continue
            }
            for decomposed in stripAccents ? Self.decompose(scalar) : [scalar] {
                if stripAccents, decomposed.properties.generalCategory == .nonspacingMark { continue }
                if lowercase {
                    for lowered in decomposed.properties.lowercaseMapping.unicodeScalars { emit(lowered) }
                } else {
                    emit(decomposed)
                }
            }
        }
        flush()
        return words
    }

    /// The canonical decomposition (NFD) of one scalar.
    static func decompose(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
    }

    /// Whitespace as the pre-tokenizer sees it: Unicode White_Space (tab, LF, CR, space, Zs, ...).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    /// A control character to drop: category Cc, Cf, Cn, Co or Cs, except tab, line feed, carriage return.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        if scalar.value == 0 { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// BERT's punctuation: the four ASCII symbol ranges, and Unicode categories Pc, Pd, Ps, Pe, Pi, Pf, Po.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
            || (123...126).contains(value)
        {
            return true
        }
        if value < 0x80 { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// A CJK ideograph (BERT's `_is_chinese_char` ranges), which becomes a word of its own.
    static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
