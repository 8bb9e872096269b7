/// BERT's tokenizer: ``BasicTokenizer`` then greedy longest-match-first WordPiece, `[CLS] … [SEP]`, truncation.
///
/// WordPiece (Schuster & Nakajima; BERT's `WordpieceTokenizer`): a word longer than `maximumCharactersPerWord`
/// Unicode scalars becomes `[UNK]`; otherwise, from the start, take the longest prefix in the vocabulary, then the
/// longest `##`-prefixed continuation from where it ended, and so on; if some position has no match the whole word
/// becomes `[UNK]`.
public struct BertTokenizer: Sendable {
    /// The vocabulary.
    public let vocabulary: WordPieceVocabulary
    /// The normaliser and word splitter.
    public let basicTokenizer: BasicTokenizer
    /// The longest encoding produced, special tokens included (256 for all-MiniLM-L6-v2).
    public let maximumLength: Int
    /// Words longer than this (in Unicode scalars) become `[UNK]`.
    public let maximumCharactersPerWord: Int
    /// The id of `[CLS]`.
    public let classifierId: Int32
    /// The id of `[SEP]`.
    public let separatorId: Int32
    /// The id of `[UNK]`.
    public let unknownId: Int32
    /// The id of `[PAD]`.
    public let paddingId: Int32

    /// A tokenizer over `vocabulary`, which must hold `[CLS]`, `[SEP]`, `[UNK]` and `[PAD]`.
    ///
    /// - Throws: ``EncoderError`` when a special token is missing or `maximumLength < 2`.
    public init(
        vocabulary: WordPieceVocabulary, lowercase: Bool = true, stripAccents: Bool? = nil,
        maximumLength: Int = 256, maximumCharactersPerWord: Int = 100
    ) throws {
        func special(_ token: String) throws -> Int32 {
            guard let id = vocabulary.id(of: token) else {
                throw EncoderError(file: "vocab.txt", field: token, message: "the vocabulary lacks this special token")
            }
            return id
        }
        guard maximumLength >= 2 else {
            throw EncoderError(
                file: "vocab.txt", field: "maximumLength", message: "must leave room for [CLS] and [SEP]")
        }
        self.vocabulary = vocabulary
        self.basicTokenizer = BasicTokenizer(lowercase: lowercase, stripAccents: stripAccents)
        self.maximumLength = maximumLength
        self.maximumCharactersPerWord = maximumCharactersPerWord
        self.classifierId = try special("[CLS]")
        self.separatorId = try special("[SEP]")
        self.unknownId = try special("[UNK]")
        self.paddingId = try special("[PAD]")
    }

    /// The WordPiece ids of one word (already normalised by the basic tokenizer).
    public func wordPieceIds(of word: String) -> [Int32] {
        let scalars = Array(word.unicodeScalars)
        if scalars.count > maximumCharactersPerWord { return [unknownId] }
        var ids: [Int32] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int32?
            while start < end {
                var piece = String.UnicodeScalarView()
                if start > 0 { piece.append(contentsOf: "##".unicodeScalars) }
                piece.append(contentsOf: scalars[start..<end])
                if let id = vocabulary.id(of: String(piece)) {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else { return [unknownId] }
            ids.append(found)
            start = end
        }
        return ids
    }

    /// The WordPiece ids of `text`, without special tokens and untruncated.
    public func wordPieceIds(_ text: String) -> [Int32] {
        basicTokenizer.split(text).flatMap { wordPieceIds(of: $0) }
    }

    /// The WordPiece tokens of `text` as strings (for display), without special tokens.
    public func tokenize(_ text: String) -> [String] {
        wordPieceIds(text).map { vocabulary.tokens[Int($0)] }
    }

    /// `[CLS] pieces [SEP]` for `text`, keeping the first `maximumLength - 2` pieces.
    ///
    /// Shape: `ids.count ≤ maximumLength`; `typeIds` all 0.
    public func encode(_ text: String) -> BertEncoding {
        let pieces = wordPieceIds(text).prefix(maximumLength - 2)
        let ids = [classifierId] + pieces + [separatorId]
        return BertEncoding(ids: ids, typeIds: [Int32](repeating: 0, count: ids.count))
    }

    /// `[CLS] first [SEP] second [SEP]` with type ids 0 then 1, truncated longest-first to `maximumLength`.
    public func encode(_ first: String, pair second: String) -> BertEncoding {
        var firstPieces = wordPieceIds(first)
        var secondPieces = wordPieceIds(second)
        let budget = max(0, maximumLength - 3)
        while firstPieces.count + secondPieces.count > budget {
            if firstPieces.count > secondPieces.count { firstPieces.removeLast() } else { secondPieces.removeLast() }
        }
        let ids = [classifierId] + firstPieces + [separatorId] + secondPieces + [separatorId]
        let typeIds = [Int32](repeating: 0, count: firstPieces.count + 2)
            + [Int32](repeating: 1, count: secondPieces.count + 1)
        return BertEncoding(ids: ids, typeIds: typeIds)
    }

    /// The token strings of `ids` (for display; unknown ids become `[UNK]`).
    public func tokens(of ids: [Int32]) -> [String] {
        ids.map { $0 >= 0 && Int($0) < vocabulary.count ? vocabulary.tokens[Int($0)] : "[UNK]" }
    }
}

/// The model input for one text: token ids and segment (token type) ids, both of length `ids.count`.
public struct BertEncoding: Sendable, Equatable {
    /// Token ids, `[CLS]` first and `[SEP]` last.
    public var ids: [Int32]
    /// Segment ids (0 for the first sentence, 1 for the second of a pair).
    public var typeIds: [Int32]

    /// An encoding of `ids` with `typeIds` of the same length.
    public init(ids: [Int32], typeIds: [Int32]) {
        precondition(ids.count == typeIds.count, "ids and typeIds differ in length")
        self.ids = ids
        self.typeIds = typeIds
    }
}
