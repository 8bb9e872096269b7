import ArgumentParser

/// The kgfuse command line: load ontologies, query the knowledge store, and (as the project grows) diagnose and audit.
@main
struct Kgfuse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kgfuse",
        abstract: "A neuro-symbolic diagnosis engine: ontologies in SQLite, graph embeddings, rules and an audit log.",
        discussion: """
            See it work first: `kgfuse demo` loads the industrial QA pack and diagnoses real bearing recordings.
            Diagnose a case, then audit it later:
              kgfuse diagnose --signal DE=X119_DE.f32 --signal FE=X119_FE.f32 --signal BA=X119_BA.f32 --rpm 1772
              kgfuse audit --run 1
            Work with an ontology in a store (default ./kgfuse.sqlite, or $KGFUSE_STORE):
              kgfuse load ../shared/ontologies/hpo/hp.owl
              kgfuse stats
              kgfuse describe HP:0001250
              kgfuse query '?class rdfs:subClassOf HP:0001250'
            """,
        subcommands: KgfuseCommands.all)
}
