import ArgumentParser

/// The registry of subcommands; each lives in its own file.
enum KgfuseCommands {
    static let all: [any ParsableCommand.Type] = [
        Load.self, Export.self, Stats.self, Query.self, Describe.self, Embed.self, Neighbors.self, EmbedText.self, Encode.self,
        Reason.self, Explain.self, Audit.self, Diagnose.self, Train.self, Evaluate.self, Demo.self,
    ]
}
