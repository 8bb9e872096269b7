import ArgumentParser
import Encoders
import Foundation

/// `kgfuse encode`: runs a BERT, ViT or wav2vec2 checkpoint folder on a JSON input and prints its outputs.
struct Encode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Hugging Face BERT, ViT or wav2vec2 checkpoint on a JSON input and print its hidden states.",
        discussion: """
            DIR holds config.json (its model_type picks the model) and model.safetensors. FILE is a JSON object with nested lists, batch first: input_ids (with attention_mask and token_type_ids where given) for bert, pixel_values [batch, channels, height, width] for vit, input_values [batch, samples] (with an optional attention_mask) for wav2vec2.

            The output is {"last_hidden_state": ..., "pooler_output": ...}, the pooler only where the model has one.
              kgfuse encode --checkpoint ../shared/models/hf_tiny/vit --input pixels.json --output out.json
            """)

    @Option(help: ArgumentHelp("The checkpoint folder (config.json + model.safetensors).", valueName: "DIR"))
    var checkpoint: String

    @Option(help: ArgumentHelp("The input JSON file.", valueName: "FILE"))
    var input: String

    @Option(help: ArgumentHelp("Write the output JSON here instead of standard output.", valueName: "FILE"))
    var output: String?

    func run() throws {
        let result: CheckpointOutput
        do {
            result = try Checkpoint.encode(checkpointDirectory: checkpoint, inputPath: input)
        } catch let error as EncoderError {
            throw ValidationError(error.description)
        }
        let text = result.json()
        if let output {
            do {
                try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw ValidationError("\(output): cannot write: \(error.localizedDescription)")
            }
        } else {
            print(text)
        }
    }
}
