import Foundation

/// A WordPiece vocabulary: token strings and their ids (the line number, from 0, in `vocab.txt`).
public struct WordPieceVocabulary: Sendable {
    /// Tokens by id.
    public let tokens: [String]
    private let idsByToken: [String: Int32]

    /// A vocabulary from tokens in id order; a repeated token keeps its first id.
    public init(tokens: [String]) {
        self.tokens = tokens
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() where ids[token] == nil {
            ids[token] = Int32(index)
        }
        self.idsByToken = ids
    }

    /// Reads `vocab.txt`: one token per line, UTF-8; trailing whitespace (`\r` included) is trimmed, as the Hugging
    /// Face tokenizers library does.
    ///
    /// - Throws: ``EncoderError`` when the file cannot be read, is not UTF-8 or is empty.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EncoderError(file: path, message: "cannot read the vocabulary file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EncoderError(file: path, message: "the vocabulary is not valid UTF-8")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var token = Substring(line)
            while let last = token.unicodeScalars.last, last.properties.isWhitespace {
                token = Substring(token.unicodeScalars.dropLast())
            }
            return String(token)
        }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else {
            throw EncoderError(file: path, message: "the vocabulary has no tokens")
        }
        self.init(tokens: lines)
    }

    /// Number of tokens.
    public var count: Int { tokens.count }

    /// The id of `token`, or nil when it is not in the vocabulary.
    public func id(of token: String) -> Int32? { idsByToken[token] }
}
