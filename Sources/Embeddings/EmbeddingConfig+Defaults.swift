extension EmbeddingConfig {
    /// The settings that reach kgfuse's quality bar on UMLS for each model with no further flags.
    public static func defaults(for model: EmbeddingModelKind) -> EmbeddingConfig {
        switch model {
        case .rotate:
            EmbeddingConfig(model: .rotate, dimension: 128, norm: 1, epochs: 150, batchSize: 256, negatives: 128,
                            learningRate: 0.005, margin: 9, adversarialTemperature: 1)
        case .transE:
            EmbeddingConfig(model: .transE, dimension: 200, norm: 1, epochs: 150, batchSize: 256, negatives: 128,
                            learningRate: 0.005, margin: 9, adversarialTemperature: 1)
        case .distMult:
            EmbeddingConfig(model: .distMult, dimension: 200, epochs: 100, batchSize: 256, learningRate: 0.005,
                            loss: .crossEntropy, regularizationWeight: 0.001)
        case .complEx:
            EmbeddingConfig(model: .complEx, dimension: 100, epochs: 100, batchSize: 256, learningRate: 0.005,
                            loss: .crossEntropy, regularizationWeight: 0.001)
        }
    }
}
