#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming parser for RDF 1.1 XML Syntax (<https://www.w3.org/TR/rdf-syntax-grammar/>), grammar §7.
///
/// It reads the document with libxml2's SAX2 push parser (never a DOM) and hands each triple to a handler
/// as soon as it is known, so memory stays bounded by the element nesting depth, not the document size.
/// Internal DTD entities are expanded; external entities and DTDs are never loaded; entity-expansion
/// bombs are refused with an error. Errors are `RDFSyntaxError`s with file, line and column.
///
/// Blank node labels: a node without a name gets `g1`, `g2`, ...; `rdf:nodeID="x"` gets `nx`, so the two
/// kinds never clash and each label is unique within the document.
///
/// `onPrefix` receives every namespace declaration as (prefix, namespace name), the default namespace
/// with the prefix `""`, in document order.
public struct RDFXMLParser: Sendable {
    /// The base IRI relative references resolve against (xml:base inside the document overrides it).
    public var baseIRI: String?
    /// The name used in error messages (usually the file path).
    public var documentName: String?

    /// The chunk size for reading files: 256 KiB.
    static let chunkSize = 256 * 1024
    /// The piece size for bytes already in memory: 4 MiB.
    static let memoryChunkSize = 4 << 20

    /// Creates a parser; `baseIRI` resolves relative IRIs, `documentName` appears in error messages.
    public init(baseIRI: String? = nil, documentName: String? = nil) {
        self.baseIRI = baseIRI
        self.documentName = documentName
    }

    /// Streams a file in chunks (bounded memory); `progress` gets (bytesRead, totalBytes) now and then.
    ///
    /// Without a `baseIRI`, relative IRIs resolve against the file's `file://` IRI; without a `documentName`,
    /// errors name the path.
    public func parse(fileAt path: String, progress: ((Int, Int) -> Void)? = nil,
                      onPrefix: ((String, String) -> Void)? = nil, onTriple: TripleHandler) throws {
        let name = documentName ?? path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw RDFSyntaxError(file: name, line: 0, column: 0, message: "cannot open the file: \(RDFXMLParser.systemErrorText())")
        }
        defer { close(descriptor) }
        var status = stat()
        let totalBytes = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0

        try withoutActuallyEscaping(onTriple) { onTriple in
            let driver = GrammarDriver(baseIRI: baseIRI ?? RDFXMLParser.fileIRI(forPath: path), onPrefix: onPrefix, onTriple: onTriple)
            let reader = XMLReader(documentName: name, handler: driver)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: RDFXMLParser.chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            var bytesRead = 0
            while true {
                let count = read(descriptor, buffer.baseAddress, buffer.count)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw RDFSyntaxError(file: name, line: reader.line, column: reader.column,
                                         message: "cannot read the file: \(RDFXMLParser.systemErrorText())")
                }
                if count == 0 { break }
                bytesRead += count
                try reader.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                progress?(bytesRead, max(totalBytes, bytesRead))
            }
            try reader.finish()
            if !driver.grammar.pointee.isComplete {
                throw RDFSyntaxError(file: name, line: reader.line, column: reader.column,
                                     message: "the document ended before its RDF content was complete")
            }
        }
    }

    /// Parses a whole document given as bytes.
    public func parse(bytes: [UInt8], onPrefix: ((String, String) -> Void)? = nil, onTriple: TripleHandler) throws {
        try withoutActuallyEscaping(onTriple) { onTriple in
            let driver = GrammarDriver(baseIRI: baseIRI, onPrefix: onPrefix, onTriple: onTriple)
            let reader = XMLReader(documentName: documentName, handler: driver)
            // The bytes are already in memory: hand them over in 4 MiB pieces, so libxml2 copies little at a time.
            try bytes.withUnsafeBytes { all in
                var offset = 0
                repeat {
                    let end = min(offset + RDFXMLParser.memoryChunkSize, all.count)
                    try reader.feed(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
                    offset = end
                } while offset < all.count
            }
            try reader.finish()
            if !driver.grammar.pointee.isComplete {
                throw RDFSyntaxError(file: documentName, line: reader.line, column: reader.column,
                                     message: "the document ended before its RDF content was complete")
            }
        }
    }

    /// The `file://` IRI of a path (made absolute against the working directory), with characters outside
    /// the unreserved and sub-delimiter sets percent-encoded.
    static func fileIRI(forPath path: String) -> String {
        var absolute = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            if getcwd(&buffer, buffer.count) != nil {
                let directory = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                absolute = directory + (directory.hasSuffix("/") ? "" : "/") + path
            }
        }
        var result = "file://"
        for byte in absolute.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"),
                 UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
                 UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
                 UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(hex[Int(byte >> 4)])
                result.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }

    private static func systemErrorText() -> String {
        String(cString: strerror(errno))
    }
}
