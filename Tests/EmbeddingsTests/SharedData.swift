import Foundation
import TestSupport

/// Locates `../shared` beside the repository root, walking up from this file.
enum SharedData {
    /// The repository root (TestSupport finds it).
    static var repositoryRoot: URL { TestPaths.repositoryRoot }

    /// `<repo>/../shared/kg/<name>`: the folder of a link-prediction benchmark (train.txt, valid.txt, test.txt).
    static func knowledgeGraph(_ name: String) -> String {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/kg/\(name)").path
    }
}
