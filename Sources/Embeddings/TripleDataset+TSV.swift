import Foundation

extension TripleDataset {
    /// Loads `train.txt`, `valid.txt` and `test.txt` from `directory` (tab-separated head, relation, tail).
    ///
    /// - Throws: `TripleDatasetError` naming the file and line of the first malformed line or unreadable file.
    public init(directory: String) throws {
        let base = URL(fileURLWithPath: directory)
        try self.init(
            trainFile: base.appendingPathComponent("train.txt").path,
            validFile: base.appendingPathComponent("valid.txt").path,
            testFile: base.appendingPathComponent("test.txt").path)
    }

    /// Loads three TSV triple files; each non-blank line is `head<TAB>relation<TAB>tail`.
    ///
    /// Blank lines are skipped; LF, CR and CRLF line ends are accepted. Duplicate lines are kept as they are.
    /// - Throws: `TripleDatasetError` naming the file and line of the first malformed line or unreadable file.
    public init(trainFile: String, validFile: String, testFile: String) throws {
        self.init()
        train = try readTSV(file: trainFile)
        valid = try readTSV(file: validFile)
        test = try readTSV(file: testFile)
        guard !train.isEmpty else {
            throw TripleDatasetError(file: trainFile, line: 0, message: "the training file has no triples")
        }
    }

    /// Parses TSV text (as read from `file`) and returns its triples, interning new names.
    mutating func readTSV(file: String) throws -> [IndexedTriple] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw TripleDatasetError(file: file, line: 0, message: "cannot read the file (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TripleDatasetError(file: file, line: 0, message: "the file is not valid UTF-8")
        }
        return try parseTSV(text, file: file)
    }

    /// Parses TSV text and returns its triples, interning new names; `file` only labels errors.
    mutating func parseTSV(_ text: String, file: String?) throws -> [IndexedTriple] {
        var triples: [IndexedTriple] = []
        var lineNumber = 0
        // Character.isNewline covers "\n", "\r" and "\r\n" (one Character in Swift).
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }) {
            lineNumber += 1
            let line = Substring(rawLine)
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                throw TripleDatasetError(
                    file: file, line: lineNumber,
                    message: "expected 3 tab-separated fields (head, relation, tail), found \(fields.count)")
            }
            let names = ["head", "relation", "tail"]
            for (position, field) in fields.enumerated()
            where field.trimmingCharacters(in: .whitespaces).isEmpty {
                throw TripleDatasetError(
                    file: file, line: lineNumber, message: "the \(names[position]) field (field \(position + 1)) is empty")
            }
            triples.append(intern(head: String(fields[0]), relation: String(fields[1]), tail: String(fields[2])))
        }
        return triples
    }
}
