import Foundation

/// Locates `../shared` beside the repository root, walking up from this file.
enum SharedData {
    /// The repository root: the nearest ancestor folder of this file that holds Package.swift.
    static var repositoryRoot: URL {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return folder
            }
            folder = folder.deletingLastPathComponent()
        }
        fatalError("no Package.swift above \(#filePath)")
    }

    /// `<repo>/../shared/kg/<name>`: the folder of a link-prediction benchmark (train.txt, valid.txt, test.txt).
    static func knowledgeGraph(_ name: String) -> String {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/kg/\(name)").path
    }
}
