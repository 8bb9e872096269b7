import Synchronization

/// A weight matrix W [outputs, inputs] (PyTorch's `nn.Linear` layout) packed once for OpenBLAS's sgemm
/// micro-kernel, so that products with it skip the per-call re-packing `cblas_sgemm` does.
///
/// Product: Y[t, o] += Σ_i X[t, i] · W[o, i] for t < n tokens (Y += X · Wᵀ), in one of two layouts fixed at
/// packing time (``OutputLayout``):
/// - feature-major output, Yᵀ [outputs, n] (row stride ≥ n), from X feature-major (Xᵀ [inputs, n]) or token-major
///   (X [n, inputs]); the activations are the kernel's left operand, which suits few tokens (BERT at batch 1);
/// - token-major output, Y [n, outputs] (row stride ≥ outputs), from X token-major; the weight is the left
///   operand, which suits a hundred tokens and more (the fusion layer).
///
/// Blocking (as OpenBLAS's level-3 driver, with the weight side done ahead of time): the weight is cut into tiles
/// of `inputBlock` inputs × `outputBlock` outputs, each packed by OpenBLAS's own copy routine; per product the
/// activations are packed in chunks of `tokenBlock` tokens × `inputBlock` inputs and the kernel runs on every
/// (chunk, tile) pair, accumulating over the input blocks. Tiles of one chunk are shared among `workers` threads.
///
/// Exactness: the same micro-kernel as `cblas_sgemm`, with its own blocking, so results differ from it only by
/// float rounding (Tests/TensorTests/PackedWeightTests: within 1e-4 on sums of 500 to 800 products); the input
/// blocks are summed in a fixed order, so a product does not depend on the thread count. The kernels are looked
/// up by name once per process and checked against a Double-precision product; where they are missing or wrong
/// (see ``usesOpenBLASKernels``), every product is one `cblas_sgemm` on a plain copy of W.
public final class PackedWeight: @unchecked Sendable {
    /// Packing pieces finished in a shared product (see ``accumulateTokenMajor(input:inputStride:count:into:outputStride:bias:addend:addendStride:epilogue:workers:)``).
    private final class PiecesDone: Sendable {
        let count = Atomic<Int>(0)
    }

    // @unchecked Sendable: the buffers are written once in init and only read afterwards.

    /// Rows of W (the output width).
    public let outputs: Int
    /// Columns of W (the input width).
    public let inputs: Int

    /// How the activations X of a product are stored.
    public enum InputLayout: Sendable {
        /// Xᵀ [inputs, n]: feature i of token t at i·stride + t.
        case featureMajor
        /// X [n, inputs]: feature i of token t at t·stride + i.
        case tokenMajor
    }

    /// Where the products of this weight put the tokens (see the type's documentation).
    public enum OutputLayout: Sendable {
        /// Yᵀ [outputs, n]: ``accumulate(input:layout:inputStride:count:into:outputStride:workers:)``.
        case featureMajor
        /// Y [n, outputs]: ``accumulateTokenMajor(input:inputStride:count:into:outputStride:workers:)``.
        case tokenMajor
    }

    /// The layout this weight was packed for.
    public let outputLayout: OutputLayout

    /// Inputs per packed tile (OpenBLAS's GEMM_Q for single precision on x86-64).
    static let inputBlock = 384
    /// Outputs per packed tile (the unit of work shared among threads).
    static let outputBlock = 64
    /// Tokens per packed activation chunk (keeps a chunk of `inputBlock` inputs in L2).
    static let tokenBlock = 192
    /// Token parts of a shared token-major product start at multiples of this (a multiple of the kernel's column
    /// unroll, so a part's packed columns start at part start × depth).
    static let tokenPartAlignment = 16
    /// Multiply-adds per work item a shared token-major product aims for (about 50 µs of one core).
    static let itemWork = 1 << 20

    /// The packed tiles, tile (kb, nb) at `tileOffsets[kb * outputBlockCount + nb]`; nil without OpenBLAS kernels.
    private let tiles: UnsafeMutablePointer<Float>?
    private let tileOffsets: [Int]
    private let outputBlockCount: Int
    private let inputBlockCount: Int
    /// W itself, for `cblas_sgemm`, when the OpenBLAS kernels are not used.
    private let plain: UnsafeMutablePointer<Float>?
    private let kernels: OpenBLASKernels?

    /// True when products use OpenBLAS's packed micro-kernel (found and checked against `cblas_sgemm` once per
    /// process); false when they fall back to `cblas_sgemm` (no per-core symbols, or KGFUSE_PACKED_GEMM=0).
    public static var usesOpenBLASKernels: Bool { checkedKernels != nil }

    /// Packs W given row-major [outputs, inputs], for products with the given output layout.
    public convenience init(
        weight: UnsafePointer<Float>, outputs: Int, inputs: Int, outputLayout: OutputLayout = .featureMajor
    ) {
        self.init(kernels: Self.checkedKernels, values: Array(UnsafeBufferPointer(start: weight, count: outputs * inputs)),
                  outputs: outputs, inputs: inputs, outputLayout: outputLayout)
    }

    /// Packs a weight tensor [outputs, inputs], for products with the given output layout.
    public convenience init(_ weight: Tensor, outputLayout: OutputLayout = .featureMajor) {
        precondition(weight.rank == 2, "PackedWeight: weight shape \(weight.shape), need [out, in]")
        self.init(kernels: Self.checkedKernels, values: weight.values, outputs: weight.shape[0], inputs: weight.shape[1],
                  outputLayout: outputLayout)
    }

    /// Packs weights [o₁, inputs], [o₂, inputs], … stacked along the outputs as one W [Σₖ oₖ, inputs]: one product
    /// then gives every token's outputs of all of them side by side (the query, key and value projections of an
    /// attention layer give [Q | K | V], [n, 3D], in one hand-out instead of three).
    public convenience init(stacking weights: [Tensor], outputLayout: OutputLayout = .featureMajor) {
        precondition(!weights.isEmpty && weights.allSatisfy { $0.rank == 2 && $0.shape[1] == weights[0].shape[1] },
                     "PackedWeight: stacked weights \(weights.map(\.shape)) must be [out, in] with one input width")
        self.init(kernels: Self.checkedKernels, values: weights.flatMap(\.values),
                  outputs: weights.reduce(0) { $0 + $1.shape[0] }, inputs: weights[0].shape[1], outputLayout: outputLayout)
    }

    /// Packs W [outputs, inputs] (row-major `values`) into tiles with `kernels`, or keeps a plain copy without.
    private init(kernels: OpenBLASKernels?, values: [Float], outputs: Int, inputs: Int, outputLayout: OutputLayout) {
        precondition(outputs > 0 && inputs > 0 && values.count == outputs * inputs,
                     "PackedWeight: \(values.count) values for a weight [\(outputs), \(inputs)]")
        self.outputs = outputs
        self.inputs = inputs
        self.kernels = kernels
        self.outputLayout = outputLayout
        let outputBlockCount = (outputs + Self.outputBlock - 1) / Self.outputBlock
        let inputBlockCount = (inputs + Self.inputBlock - 1) / Self.inputBlock
        self.outputBlockCount = outputBlockCount
        self.inputBlockCount = inputBlockCount
        guard let kernels else {
            let copy = UnsafeMutablePointer<Float>.allocate(capacity: outputs * inputs)
            values.withUnsafeBufferPointer { copy.update(from: $0.baseAddress!, count: outputs * inputs) }
            plain = copy
            tiles = nil
            tileOffsets = []
            return
        }
        plain = nil
        var offsets: [Int] = []
        var total = 0
        for inputBlock in 0..<inputBlockCount {
            let depth = Swift.min(Self.inputBlock, inputs - inputBlock * Self.inputBlock)
            for outputBlock in 0..<outputBlockCount {
                let width = Swift.min(Self.outputBlock, outputs - outputBlock * Self.outputBlock)
                offsets.append(total)
                total += Self.paddedCount(width) * depth
            }
        }
        let buffer = Self.allocatePanel(total + 64)
        buffer.initialize(repeating: 0, count: total + 64)
        // W row-major [outputs, inputs] is column-major B [inputs × outputs] with ldb = inputs (right operand), or
        // the transpose of column-major A [outputs × inputs] with lda = inputs (left operand).
        let copy = outputLayout == .featureMajor ? kernels.copyB : kernels.copyATransposed
        values.withUnsafeBufferPointer { w in
            for inputBlock in 0..<inputBlockCount {
                let start = inputBlock * Self.inputBlock
                let depth = Swift.min(Self.inputBlock, inputs - start)
                for outputBlock in 0..<outputBlockCount {
                    let first = outputBlock * Self.outputBlock
                    let width = Swift.min(Self.outputBlock, outputs - first)
                    _ = copy(depth, width, w.baseAddress! + first * inputs + start, inputs,
                                 buffer + offsets[inputBlock * outputBlockCount + outputBlock])
                }
            }
        }
        tiles = buffer
        tileOffsets = offsets
    }

    deinit {
        tiles?.deallocate()
        plain?.deallocate()
    }

    /// Yᵀ += W · Xᵀ for `count` tokens: `output` is Yᵀ [outputs, count] (row stride `outputStride` ≥ count), the
    /// input is laid out as `layout` says with row stride `inputStride`; the work is shared by up to `workers`
    /// threads (the caller's included).
    public func accumulate(
        input: UnsafePointer<Float>, layout: InputLayout, inputStride: Int, count: Int,
        into output: UnsafeMutablePointer<Float>, outputStride: Int, workers: Int = 1
    ) {
        precondition(outputLayout == .featureMajor, "PackedWeight: packed for token-major products")
        guard count > 0 else { return }
        guard let kernels, let tiles else {
            BLAS.gemm(transposeA: false, transposeB: layout == .tokenMajor, m: outputs, n: count, k: inputs,
                      a: plain!, lda: inputs, b: input, ldb: inputStride, beta: 1, c: output, ldc: outputStride)
            return
        }
        let chunkCapacity = Swift.min(count, Self.tokenBlock)
        let packed = Self.allocatePanel(Self.paddedCount(chunkCapacity) * Swift.min(inputs, Self.inputBlock) + 64)
        defer { packed.deallocate() }
        let packedA = UnsafePointer(packed)
        let threads = Swift.max(1, Swift.min(workers, outputBlockCount))
        var chunkStart = 0
        while chunkStart < count {
            let chunk = Swift.min(Self.tokenBlock, count - chunkStart)
            for inputBlock in 0..<inputBlockCount {
                let start = inputBlock * Self.inputBlock
                let depth = Swift.min(Self.inputBlock, inputs - start)
                // A = X[chunk tokens, depth inputs]: column-major with lda = stride when feature-major.
                switch layout {
                case .featureMajor:
                    _ = kernels.copyA(depth, chunk, input + start * inputStride + chunkStart, inputStride, packed)
                case .tokenMajor:
                    _ = kernels.copyATransposed(
                        depth, chunk, input + chunkStart * inputStride + start, inputStride, packed)
                }
                let tileBase = inputBlock * outputBlockCount
                // C = Yᵀ viewed column-major [count × outputs], ldc = outputStride.
                let runBlocks = { (blocks: Range<Int>) in
                    for outputBlock in blocks {
                        let first = outputBlock * Self.outputBlock
                        let width = Swift.min(Self.outputBlock, self.outputs - first)
                        _ = kernels.kernel(chunk, width, depth, 1, packedA,
                                           tiles + self.tileOffsets[tileBase + outputBlock],
                                           output + first * outputStride + chunkStart, outputStride)
                    }
                }
                WorkerPool.shared.forEachRange(outputBlockCount, chunks: threads) { blocks, _ in runBlocks(blocks) }
            }
            chunkStart += chunk
        }
    }

    /// What a token-major product does to each finished output block (all input blocks summed) before it leaves
    /// the thread that computed it, while the block is still in cache.
    public enum Epilogue: Sendable {
        /// Nothing: Y = (bias) (+ addend) + X · Wᵀ.
        case none
        /// GELU (erf form, absolute error of erf < 5e-7, see `geluValues`) of the whole sum.
        case gelu
        /// max(·, 0) of the whole sum.
        case relu
    }

    /// Y += X · Wᵀ for `count` tokens, token-major on both sides: X [count, inputs] (row stride `inputStride`),
    /// Y [count, outputs] (row stride `outputStride`); the work is shared by up to `workers` threads.
    /// With `bias` [outputs] and/or `addend` [count, outputs] (row stride `addendStride`), Y is not read:
    /// Y = bias + addend + X · Wᵀ (each thread first writes bias + addend into its own output blocks; the addend
    /// is how a residual connection joins the product without a pass of its own). `epilogue` is then applied to
    /// each output block of Y by the thread that computed it.
    public func accumulateTokenMajor(
        input: UnsafePointer<Float>, inputStride: Int, count: Int,
        into output: UnsafeMutablePointer<Float>, outputStride: Int, bias: UnsafePointer<Float>? = nil,
        addend: UnsafePointer<Float>? = nil, addendStride: Int = 0, epilogue: Epilogue = .none, workers: Int = 1
    ) {
        precondition(outputLayout == .tokenMajor, "PackedWeight: packed for feature-major products")
        guard count > 0 else { return }
        /// Y[t, first..<first+width] = bias[first..<first+width] (+ addend[t, first..<first+width]) for t in `tokens`.
        func fillStart(first: Int, width: Int, tokens: Range<Int>) {
            for token in tokens {
                let row = output + token * outputStride + first
                switch (bias, addend) {
                case let (bias?, addend?):
                    addValues(bias + first, addend + token * addendStride + first, into: row, count: width)
                case let (bias?, nil):
                    row.update(from: bias + first, count: width)
                case let (nil, addend?):
                    row.update(from: addend + token * addendStride + first, count: width)
                case (nil, nil):
                    break
                }
            }
        }
        /// The epilogue on Y[tokens, first..<first+width].
        func finish(first: Int, width: Int, tokens: Range<Int>) {
            switch epilogue {
            case .none:
                return
            case .gelu:
                for token in tokens {
                    let row = output + token * outputStride + first
                    geluValues(row, row, count: width)
                }
            case .relu:
                for token in tokens {
                    let row = output + token * outputStride + first
                    for index in 0..<width { row[index] = Swift.max(row[index], 0) }
                }
            }
        }
        let writesStart = bias != nil || addend != nil
        guard let kernels, let tiles else {
            if writesStart { fillStart(first: 0, width: outputs, tokens: 0..<count) }
            BLAS.gemm(transposeA: false, transposeB: true, m: count, n: outputs, k: inputs,
                      a: input, lda: inputStride, b: plain!, ldb: inputs, beta: 1, c: output, ldc: outputStride)
            finish(first: 0, width: outputs, tokens: 0..<count)
            return
        }
        // Per chunk of tokens: every input block of X is packed first (in parallel when there are several), then
        // each output block runs the kernel over all input blocks in order, so a thread takes whole output blocks
        // and there is one hand-out per chunk, not one per input block.
        let chunkCapacity = Swift.min(count, Self.tokenBlock)
        let panel = Self.paddedCount(chunkCapacity) * Swift.min(inputs, Self.inputBlock)
        let packed = Self.allocatePanel(panel * inputBlockCount + 64)
        defer { packed.deallocate() }
        let threads = Swift.max(1, Swift.min(workers, outputBlockCount))
        var chunkStart = 0
        while chunkStart < count {
            let chunk = Swift.min(Self.tokenBlock, count - chunkStart)
            let rows = chunkStart
            // B = Xᵀ [depth inputs × chunk tokens]: X row-major is B column-major with ldb = stride. Packed in
            // pieces of (input block, token part), a part's packed columns starting at part start × depth.
            let packParts = threads > 1 ? Swift.max(1, Swift.min(chunk / Self.tokenPartAlignment, 2 * threads)) : 1
            let perPackPart = (chunk / packParts + Self.tokenPartAlignment - 1)
                / Self.tokenPartAlignment * Self.tokenPartAlignment
            let packPiece = { (piece: Int) in
                let (inputBlock, part) = (piece / packParts, piece % packParts)
                let partStart = part * perPackPart
                let partCount = part == packParts - 1 ? chunk - partStart : Swift.min(perPackPart, chunk - partStart)
                guard partCount > 0 else { return }
                let start = inputBlock * Self.inputBlock
                let depth = Swift.min(Self.inputBlock, self.inputs - start)
                _ = kernels.copyB(depth, partCount, input + (rows + partStart) * inputStride + start, inputStride,
                                  packed + inputBlock * panel + partStart * depth)
            }
            let packPieces = inputBlockCount * packParts
            // C = Y viewed column-major [outputs × count], ldc = outputStride.
            // Shared among threads, each output block's tokens are cut into parts of about `itemWork` multiply-adds
            // (starting at multiples of `tokenPartAlignment`, where the packed columns of B start at part start ×
            // depth): the threads finish within about one small item of each other instead of one whole block.
            let parts = threads > 1
                ? Swift.max(1, Swift.min(chunk / Self.tokenPartAlignment,
                                         chunk * Swift.min(Self.outputBlock, outputs) * inputs / Self.itemWork))
                : 1
            let perPart = (chunk / parts + Self.tokenPartAlignment - 1) / Self.tokenPartAlignment * Self.tokenPartAlignment
            let runItem = { (item: Int) in
                let (outputBlock, part) = (item / parts, item % parts)
                let partStart = part * perPart
                let partCount = part == parts - 1 ? chunk - partStart : Swift.min(perPart, chunk - partStart)
                guard partCount > 0 else { return }
                let first = outputBlock * Self.outputBlock
                let width = Swift.min(Self.outputBlock, self.outputs - first)
                let tokens = (rows + partStart)..<(rows + partStart + partCount)
                if writesStart { fillStart(first: first, width: width, tokens: tokens) }
                for inputBlock in 0..<self.inputBlockCount {
                    let depth = Swift.min(Self.inputBlock, self.inputs - inputBlock * Self.inputBlock)
                    _ = kernels.kernel(width, partCount, depth, 1,
                                       tiles + self.tileOffsets[inputBlock * self.outputBlockCount + outputBlock],
                                       packed + inputBlock * panel + partStart * depth,
                                       output + tokens.lowerBound * outputStride + first, outputStride)
                }
                finish(first: first, width: width, tokens: tokens)
            }
            if threads > 1 {
                // One hand-out: the packing pieces first, then the product items, which wait until every piece is
                // packed (items are claimed in order, so by then every piece is claimed by a running participant).
                let packed = PiecesDone()
                WorkerPool.shared.forEach(packPieces + outputBlockCount * parts) { item, _ in
                    if item < packPieces {
                        packPiece(item)
                        packed.count.add(1, ordering: .releasing)
                        return
                    }
                    while packed.count.load(ordering: .acquiring) < packPieces {}
                    runItem(item - packPieces)
                }
            } else {
                for piece in 0..<packPieces { packPiece(piece) }
                if inputBlockCount == 1 {
                    for item in 0..<outputBlockCount { runItem(item) }
                } else {
                    // Input blocks outside, output blocks inside: each packed input block (chunk × 384 inputs) is
                    // used by every output block while it is in L2, instead of all of X's blocks per output block.
                    let tokens = rows..<(rows + chunk)
                    if writesStart { fillStart(first: 0, width: outputs, tokens: tokens) }
                    for inputBlock in 0..<inputBlockCount {
                        let depth = Swift.min(Self.inputBlock, inputs - inputBlock * Self.inputBlock)
                        for outputBlock in 0..<outputBlockCount {
                            let first = outputBlock * Self.outputBlock
                            _ = kernels.kernel(Swift.min(Self.outputBlock, outputs - first), chunk, depth, 1,
                                               tiles + tileOffsets[inputBlock * outputBlockCount + outputBlock],
                                               packed + inputBlock * panel, output + rows * outputStride + first,
                                               outputStride)
                        }
                    }
                    finish(first: 0, width: outputs, tokens: tokens)
                }
            }
            chunkStart += chunk
        }
    }

    /// `count` floats aligned to 64 bytes (as OpenBLAS aligns its own packing buffers; tile offsets are multiples
    /// of 32 floats, so every tile starts aligned too). Freed with `deallocate()`.
    private static func allocatePanel(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
    }

    /// Capacity for a packed panel of `count` rows or columns (rounded up past any unroll width).
    private static func paddedCount(_ count: Int) -> Int { (count + 31) / 32 * 32 }

    /// The OpenBLAS kernels, if present and if a packed product of awkward shape (tails in every dimension, two
    /// input blocks) matches a plain Double-precision product within 1e-4 relative.
    private static let checkedKernels: OpenBLASKernels? = {
        guard let kernels = OpenBLASKernels.current else { return nil }
        let (outputs, inputs, count) = (70, 400, 13)
        var generator = SeededGenerator(seed: 7)
        let weight = (0..<(outputs * inputs)).map { _ in generator.nextUniform() - 0.5 }
        let tokens = (0..<(count * inputs)).map { _ in generator.nextUniform() - 0.5 }
        var expected = [Double](repeating: 0, count: outputs * count)
        for o in 0..<outputs {
            for t in 0..<count {
                var sum = 0.0
                for i in 0..<inputs { sum += Double(weight[o * inputs + i]) * Double(tokens[t * inputs + i]) }
                expected[o * count + t] = sum
            }
        }
        let packed = PackedWeight(kernels: kernels, values: weight, outputs: outputs, inputs: inputs,
                                  outputLayout: .featureMajor)
        var featureMajor = [Float](repeating: 0, count: inputs * count)
        for t in 0..<count { for i in 0..<inputs { featureMajor[i * count + t] = tokens[t * inputs + i] } }
        for layout in [InputLayout.tokenMajor, .featureMajor] {
            var result = [Float](repeating: 0, count: outputs * count)
            let source = layout == .tokenMajor ? tokens : featureMajor
            source.withUnsafeBufferPointer { x in
                result.withUnsafeMutableBufferPointer { y in
                    packed.accumulate(input: x.baseAddress!, layout: layout,
                                      inputStride: layout == .tokenMajor ? inputs : count, count: count,
                                      into: y.baseAddress!, outputStride: count)
                }
            }
            for (value, reference) in zip(result, expected)
            where abs(Double(value) - reference) > 1e-4 * Swift.max(1, abs(reference)) {
                return nil
            }
        }
        let tokenMajor = PackedWeight(kernels: kernels, values: weight, outputs: outputs, inputs: inputs,
                                      outputLayout: .tokenMajor)
        var result = [Float](repeating: 0, count: count * outputs)
        tokens.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { y in
                tokenMajor.accumulateTokenMajor(input: x.baseAddress!, inputStride: inputs, count: count,
                                                into: y.baseAddress!, outputStride: outputs)
            }
        }
        for t in 0..<count {
            for o in 0..<outputs
            where abs(Double(result[t * outputs + o]) - expected[o * count + t]) > 1e-4 * Swift.max(1, abs(expected[o * count + t])) {
                return nil
            }
        }
        return kernels
    }()
}
