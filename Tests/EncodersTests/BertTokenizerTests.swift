import Encoders
import Foundation
import Testing

@Suite("BERT WordPiece tokenizer")
struct BertTokenizerTests {
    /// A small vocabulary for rule-by-rule tests (ids are the positions).
    static let smallVocabulary = WordPieceVocabulary(tokens: [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "hello", "world", "!", ",", "cafe", "中", "国",
        "a", "##b", "##a",
    ])

    @Test("The five reference sentences give exactly the reference token ids and tokens")
    func miniLMReferenceIds() throws {
        let reference = try SharedFixtures.decode(MiniLMReference.self, from: SharedFixtures.miniLMReference)
        let tokenizer = try SharedFixtures.miniLM().tokenizer
        #expect(reference.sentences.count == 5)
        for (index, sentence) in reference.sentences.enumerated() {
            let encoding = tokenizer.encode(sentence)
            #expect(encoding.ids == reference.input_ids[index], "sentence \(index): \(sentence)")
            #expect(tokenizer.tokens(of: encoding.ids) == reference.tokens[index])
            #expect(encoding.typeIds == [Int32](repeating: 0, count: encoding.ids.count))
        }
    }

    @Test("Greedy longest-match-first WordPiece with ## continuations")
    func wordPiece() throws {
        let tokenizer = try BertTokenizer(vocabulary: Self.smallVocabulary)
        #expect(tokenizer.tokenize("unaffable") == ["un", "##aff", "##able"])
        // "unaffablex" has no piece for "x": the whole word becomes [UNK].
        #expect(tokenizer.tokenize("unaffablex hello") == ["[UNK]", "hello"])
        #expect(tokenizer.tokenize("ab abb") == ["a", "##b", "a", "##b", "##b"])
    }

    @Test("Basic tokenizer: lower-case, accents stripped, punctuation split, CJK split, controls dropped")
    func basicRules() throws {
        let basic = BasicTokenizer()
        #expect(basic.split("Hello, World!") == ["hello", ",", "world", "!"])
        #expect(basic.split("Café NAÏVE résumé") == ["cafe", "naive", "resume"])
        // Decomposed input (e + U+0301) gives the same as precomposed.
        #expect(basic.split("Cafe\u{301}") == ["cafe"])
        #expect(basic.split("中国人abc") == ["中", "国", "人", "abc"])
        // U+0000, U+FFFD, a C0 control and a format character (U+200B is Cf) are dropped; tabs/newlines split.
        #expect(basic.split("a\u{0}b\u{FFFD}c\u{7}d\u{200B}e\tf\ng") == ["abcde", "f", "g"])
        // ASCII symbols $ ^ ` ~ are punctuation for BERT though not Unicode P*; « » and ¿ are P*.
        #expect(basic.split("1$2^3`4~5") == ["1", "$", "2", "^", "3", "`", "4", "~", "5"])
        #expect(basic.split("«hola»¿") == ["«", "hola", "»", "¿"])
        // No-break space and ideographic space are whitespace.
        #expect(basic.split("a\u{A0}b\u{3000}c") == ["a", "b", "c"])
        let cased = BasicTokenizer(lowercase: false)
        #expect(cased.split("Café NAÏVE") == ["Café", "NAÏVE"])
    }

    @Test("A word longer than 100 characters becomes [UNK]")
    func longWord() throws {
        let tokenizer = try BertTokenizer(vocabulary: Self.smallVocabulary)
        #expect(tokenizer.tokenize(String(repeating: "a", count: 100)).count == 100)
        #expect(tokenizer.tokenize(String(repeating: "a", count: 101)) == ["[UNK]"])
    }

    @Test("[CLS] … [SEP] and truncation to 256 tokens in total")
    func truncation() throws {
        let tokenizer = try SharedFixtures.miniLM().tokenizer
        #expect(tokenizer.maximumLength == 256)
        let long = Array(repeating: "the quick brown fox", count: 100).joined(separator: " ")
        #expect(tokenizer.wordPieceIds(long).count == 400)
        let encoding = tokenizer.encode(long)
        #expect(encoding.ids.count == 256)
        #expect(encoding.ids.first == tokenizer.classifierId)
        #expect(encoding.ids.last == tokenizer.separatorId)
        #expect(Array(encoding.ids[1...4]) == tokenizer.wordPieceIds("the quick brown fox"))
    }

    @Test("Sentence pairs get type ids 0 then 1")
    func pair() throws {
        let tokenizer = try BertTokenizer(vocabulary: Self.smallVocabulary)
        let encoding = tokenizer.encode("hello world", pair: "cafe!")
        #expect(tokenizer.tokens(of: encoding.ids) == ["[CLS]", "hello", "world", "[SEP]", "cafe", "!", "[SEP]"])
        #expect(encoding.typeIds == [0, 0, 0, 0, 1, 1, 1])
    }

    @Test("A vocabulary without [CLS] is refused with an error naming the token")
    func missingSpecialToken() {
        let vocabulary = WordPieceVocabulary(tokens: ["[PAD]", "[UNK]", "[SEP]", "a"])
        #expect(throws: EncoderError.self) { try BertTokenizer(vocabulary: vocabulary) }
        do {
            _ = try BertTokenizer(vocabulary: vocabulary)
        } catch let error as EncoderError {
            #expect(error.field == "[CLS]")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
