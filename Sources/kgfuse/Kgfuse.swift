import ArgumentParser

/// The kgfuse command line: load ontologies, query the knowledge store, and (as the project grows) diagnose and audit.
@main
struct Kgfuse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kgfuse",
        abstract: "A neuro-symbolic diagnosis engine: ontologies in SQLite, graph embeddings, rules and an audit log.",
        discussion: """
            Start by loading an ontology into a store (default ./kgfuse.sqlite, or $KGFUSE_STORE):
              kgfuse load Ontologies/industrial-qa.owl
              kgfuse stats
              kgfuse describe HP:0001250
              kgfuse query '?class rdfs:subClassOf HP:0001250'
            """,
        subcommands: KgfuseCommands.all)
}
