extension EmbeddingConfig {
    /// The settings that reach kgfuse's quality bar on UMLS for each model with no further flags.
    ///
    /// Distance models use self-adversarial negative sampling (Sun et al. 2019) with α = 0.5 and 64 uniform
    /// negatives; bilinear models use 1-N cross-entropy with N3 (Lacroix et al. 2018). All keep the parameters of
    /// the best validation MRR, checked every 5 epochs.
    public static func defaults(for model: EmbeddingModelKind) -> EmbeddingConfig {
        switch model {
        case .rotate:
            EmbeddingConfig(model: .rotate, dimension: 128, norm: 1, epochs: 50, batchSize: 512, negatives: 64,
                            learningRate: 0.002, margin: 9, adversarialTemperature: 0.5, validationInterval: 5)
        case .transE:
            EmbeddingConfig(model: .transE, dimension: 200, norm: 1, epochs: 30, batchSize: 256, negatives: 64,
                            learningRate: 0.002, margin: 6, adversarialTemperature: 0.5, validationInterval: 5)
        case .distMult:
            EmbeddingConfig(model: .distMult, dimension: 200, epochs: 50, batchSize: 256, learningRate: 0.005,
                            margin: 0, loss: .crossEntropy, regularizationWeight: 0.001, validationInterval: 5)
        case .complEx:
            EmbeddingConfig(model: .complEx, dimension: 100, epochs: 50, batchSize: 256, learningRate: 0.005,
                            margin: 0, loss: .crossEntropy, regularizationWeight: 0.001, validationInterval: 5)
        }
    }
}
