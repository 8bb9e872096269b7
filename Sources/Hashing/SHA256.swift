import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface, which uses the CPU's SHA extensions where present.
///
/// Used for provenance: the sha256 of loaded documents, model checkpoints, rule sets and audit records.
public struct SHA256: ~Copyable {
    private let context: OpaquePointer

    /// The algorithm, fetched from OpenSSL's default provider once (immutable, shared by threads): with
    /// `EVP_sha256()` OpenSSL 3 looks it up again, under a lock, on every digest.
    nonisolated(unsafe) private static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    /// Starts a new digest.
    public init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, SHA256.algorithm ?? EVP_sha256(), nil) == 1 else {
            fatalError("OpenSSL could not initialise SHA-256")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Feeds bytes into the digest.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress, bytes.count > 0 {
            EVP_DigestUpdate(context, base, bytes.count)
        }
    }

    /// Feeds a byte array into the digest.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds the UTF-8 bytes of a string into the digest.
    public mutating func update(_ text: String) {
        var copy = text
        copy.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Finishes the digest and returns it as 64 lower-case hex characters.
    public consuming func finalizeHex() -> String {
        SHA256.hex(finalize())
    }

    /// The hex digest of a byte buffer, in one call.
    public static func hex(of bytes: UnsafeRawBufferPointer) -> String {
        var digest = SHA256()
        digest.update(bytes)
        return digest.finalizeHex()
    }

    /// The 32 bytes of the digest of a byte buffer, in one call.
    public static func digest(of bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var digest = SHA256()
        digest.update(bytes)
        return digest.finalize()
    }

    /// Finishes the digest and returns its 32 bytes.
    public consuming func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return digest
    }

    /// The hex digest of a string's UTF-8 bytes, in one call.
    public static func hex(of text: String) -> String {
        var digest = SHA256()
        digest.update(text)
        return digest.finalizeHex()
    }

    /// The hex digest of a file, read in 1 MiB blocks; throws if it cannot be read.
    public static func hex(ofFileAt path: String) throws -> String {
        guard let file = fopen(path, "rb") else { throw FileReadError(path: path) }
        defer { fclose(file) }
        var digest = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count > 0 { buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) } }
            if count < buffer.count {
                if ferror(file) != 0 { throw FileReadError(path: path) }
                break
            }
        }
        return digest.finalizeHex()
    }

    /// Bytes as lower-case hex digits (two per byte).
    public static func hex(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for (index, byte) in bytes.enumerated() {
                buffer[2 * index] = digits.utf8Start[Int(byte >> 4)]
                buffer[2 * index + 1] = digits.utf8Start[Int(byte & 15)]
            }
            return bytes.count * 2
        }
    }
}

/// A file that could not be opened or read while hashing.
public struct FileReadError: Error, CustomStringConvertible, Sendable {
    /// The path that failed.
    public let path: String
    /// A message naming the file.
    public var description: String { "\(path): cannot read file" }
}
