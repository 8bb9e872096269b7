import Foundation
import Hashing
import KnowledgeStore
import RDF
import Rules

/// Where a domain pack's files live: its ontology, its rules and its shipped model.
///
/// The kgfuse checkout holds them under `Ontologies/` and `Data/`. They are found from, in order: the
/// `KGFUSE_HOME` environment variable, the current directory and its parents, and the executable's folder and
/// its parents (so `.build/release/kgfuse` finds the checkout it was built in).
public struct PackFiles: Sendable {
    /// The pack's name (`industrial-qa`).
    public let name: String
    /// The folder holding `Ontologies/` and `Data/`.
    public let root: URL

    /// The pack `name` with its files under `root` (use `locate` to search for them).
    public init(name: String, root: URL) {
        self.name = name
        self.root = root
    }

    /// The ontology (RDF/XML).
    public var ontologyPath: String { root.appendingPathComponent("Ontologies/\(name).owl").path }
    /// The rules.
    public var rulesPath: String { root.appendingPathComponent("Ontologies/\(name).rules").path }
    /// The shipped model folder.
    public var modelDirectory: String { root.appendingPathComponent("Data/\(name)-model").path }
    /// The shipped sample recordings (a folder in the CWRU layout).
    public var samplesDirectory: String { root.appendingPathComponent("Data/\(name)-samples").path }

    /// The graph the pack's ontology is stored in.
    public static func graphIRI(pack: String) -> String { "https://w3id.org/kgfuse/\(pack)" }
    /// The graph the pack's ontology is stored in.
    public var graphIRI: String { Self.graphIRI(pack: name) }

    /// Finds the pack `name`; fails naming the places searched.
    public static func locate(_ name: String) throws -> PackFiles {
        guard name == IndustrialQA.name else {
            throw DiagnosisError("unknown pack '\(name)' (known: \(IndustrialQA.name))")
        }
        var candidates: [URL] = []
        if let home = ProcessInfo.processInfo.environment["KGFUSE_HOME"], !home.isEmpty {
            candidates.append(URL(fileURLWithPath: home))
        }
        for start in [URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                      URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()] {
            var folder = start.standardizedFileURL
            for _ in 0..<8 {
                candidates.append(folder)
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        for folder in candidates where FileManager.default.fileExists(atPath: folder.appendingPathComponent("Ontologies/\(name).owl").path) {
            return PackFiles(name: name, root: folder)
        }
        throw DiagnosisError("cannot find Ontologies/\(name).owl: set KGFUSE_HOME to the kgfuse checkout, or run from inside it")
    }

    /// Loads the pack's ontology into `store` unless the same file (by sha256) is already there; returns true when
    /// it loaded.
    @discardableResult
    public func ensureLoaded(in store: KnowledgeStore) throws -> Bool {
        let sha256 = try SHA256.hex(ofFileAt: ontologyPath)
        if let graph = try store.graph(iri: graphIRI), graph.sha256 == sha256 { return false }
        _ = try store.loadFile(at: ontologyPath, format: .rdfxml, graphIRI: graphIRI)
        return true
    }

    /// Parses the pack's rules with the pack's built-ins registered (reading evidence from `evidence`).
    public func rules(evidence: CaseEvidence) throws -> (rules: [Rule], builtIns: BuiltInRegistry) {
        let registry = BuiltInRegistry()
        IndustrialQA.registerBuiltIns(in: registry, evidence: evidence)
        let text: String
        do { text = try String(contentsOfFile: rulesPath, encoding: .utf8) } catch {
            throw DiagnosisError("\(rulesPath): cannot read the rules (\(error.localizedDescription))")
        }
        return (try RuleParser(documentName: rulesPath, builtIns: registry).parse(text), registry)
    }
}
