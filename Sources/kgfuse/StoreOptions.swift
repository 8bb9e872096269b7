import ArgumentParser
import KnowledgeStore

/// The `--store` option every command that reads or writes the knowledge store takes.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite knowledge store.", valueName: "DB"))
    var store: String = KnowledgeStore.defaultPath

    /// Opens the store, turning errors into a message for the user.
    func open() throws -> KnowledgeStore {
        do { return try KnowledgeStore(path: store) } catch {
            throw ValidationError("\(error)")
        }
    }
}
