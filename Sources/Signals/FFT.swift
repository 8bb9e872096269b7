import CFFTW
import Foundation

/// FFTW single-precision plans, created once per (kind, size) and reused for the life of the process.
///
/// FFTW's planner is not thread-safe, so every plan is created under one lock. Executing a plan on new
/// arrays (`fftwf_execute_dft_r2c`, `fftwf_execute_dft`) is thread-safe, so each transform object owns its
/// own aligned buffers and several threads may run transforms of the same size at once.
/// Plans are made with `FFTW_ESTIMATE`, so they are deterministic (no timing-dependent choice).
final class FFTPlanCache: @unchecked Sendable {
    static let shared = FFTPlanCache()

    private let lock = NSLock()
    private var realForwardPlans: [Int: OpaquePointer] = [:]
    private var complexPlans: [Int: OpaquePointer] = [:]

    /// The out-of-place real-to-complex forward plan of length `size`.
    func realForward(size: Int) -> OpaquePointer {
        lock.lock()
        defer { lock.unlock() }
        if let plan = realForwardPlans[size] { return plan }
        let input = fftwf_alloc_real(size)!
        let output = fftwf_alloc_complex(size / 2 + 1)!
        defer {
            fftwf_free(input)
            fftwf_free(output)
        }
        let plan = fftwf_plan_dft_r2c_1d(Int32(size), input, output, UInt32(FFTW_ESTIMATE))!
        realForwardPlans[size] = plan
        return plan
    }

    /// The out-of-place complex-to-complex plan of length `size` in `direction` (`FFTW_FORWARD` = -1 or
    /// `FFTW_BACKWARD` = +1), keyed by `size * direction`.
    func complex(size: Int, direction: Int32) -> OpaquePointer {
        lock.lock()
        defer { lock.unlock() }
        let key = size * Int(direction)
        if let plan = complexPlans[key] { return plan }
        let input = fftwf_alloc_complex(size)!
        let output = fftwf_alloc_complex(size)!
        defer {
            fftwf_free(input)
            fftwf_free(output)
        }
        let plan = fftwf_plan_dft_1d(Int32(size), input, output, direction, UInt32(FFTW_ESTIMATE))!
        complexPlans[key] = plan
        return plan
    }
}

/// The forward discrete Fourier transform of real data of one fixed length N (FFTW, single precision).
///
/// `X[k] = Σ_{n<N} x[n] · exp(−2πi·k·n/N)` for `k = 0 ... N/2` (unnormalised, `N/2 + 1` bins).
/// The plan comes from a process-wide cache; this object owns aligned input and output buffers, so one
/// instance must not be used by two threads at once (create one per thread; plans are shared).
public final class RealFourierTransform {
    /// The transform length N.
    public let size: Int
    /// The number of output bins, `N/2 + 1`.
    public var binCount: Int { size / 2 + 1 }

    private let plan: OpaquePointer
    private let inputBuffer: UnsafeMutablePointer<Float>
    private let outputBuffer: UnsafeMutablePointer<fftwf_complex>

    /// Prepares a transform of length `size` (> 0), reusing the cached plan for that length.
    public init(size: Int) {
        precondition(size > 0, "FFT length must be positive, got \(size)")
        self.size = size
        plan = FFTPlanCache.shared.realForward(size: size)
        inputBuffer = fftwf_alloc_real(size)!
        outputBuffer = fftwf_alloc_complex(size / 2 + 1)!
        inputBuffer.initialize(repeating: 0, count: size)
    }

    deinit {
        fftwf_free(inputBuffer)
        fftwf_free(outputBuffer)
    }

    /// The N input samples; fill them, then call `execute()`.
    var input: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: inputBuffer, count: size) }

    /// The `N/2 + 1` complex outputs as interleaved (real, imaginary) pairs: `2·(N/2 + 1)` floats.
    var output: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableRawPointer(outputBuffer).withMemoryRebound(to: Float.self, capacity: 2 * binCount) {
            UnsafeMutableBufferPointer(start: $0, count: 2 * binCount)
        }
    }

    /// Transforms `input` into `output`.
    func execute() {
        fftwf_execute_dft_r2c(plan, inputBuffer, outputBuffer)
    }

    /// The transform of `samples` (exactly N of them): real and imaginary parts, `N/2 + 1` each.
    public func forward(_ samples: [Float]) -> (real: [Float], imaginary: [Float]) {
        precondition(samples.count == size, "expected \(size) samples, got \(samples.count)")
        let target = input
        for index in 0..<size { target[index] = samples[index] }
        execute()
        let result = output
        var real = [Float](repeating: 0, count: binCount)
        var imaginary = [Float](repeating: 0, count: binCount)
        for bin in 0..<binCount {
            real[bin] = result[2 * bin]
            imaginary[bin] = result[2 * bin + 1]
        }
        return (real, imaginary)
    }
}

/// The discrete Fourier transform of complex data of one fixed length N (FFTW, single precision).
///
/// Forward: `X[k] = Σ_n x[n]·exp(−2πi·kn/N)`; backward: `x[n] = Σ_k X[k]·exp(+2πi·kn/N)` (unnormalised: a
/// forward then backward transform multiplies by N). Same threading rule as `RealFourierTransform`.
public final class ComplexFourierTransform {
    /// The transform length N.
    public let size: Int
    /// Whether this is the forward (−i) or backward (+i) transform.
    public let isForward: Bool

    private let plan: OpaquePointer
    private let inputBuffer: UnsafeMutablePointer<fftwf_complex>
    private let outputBuffer: UnsafeMutablePointer<fftwf_complex>

    /// Prepares a transform of length `size` (> 0) in the given direction.
    public init(size: Int, forward: Bool) {
        precondition(size > 0, "FFT length must be positive, got \(size)")
        self.size = size
        isForward = forward
        plan = FFTPlanCache.shared.complex(size: size, direction: forward ? FFTW_FORWARD : FFTW_BACKWARD)
        inputBuffer = fftwf_alloc_complex(size)!
        outputBuffer = fftwf_alloc_complex(size)!
        UnsafeMutableRawPointer(inputBuffer).initializeMemory(as: Float.self, repeating: 0, count: 2 * size)
    }

    deinit {
        fftwf_free(inputBuffer)
        fftwf_free(outputBuffer)
    }

    /// The N complex inputs as interleaved (real, imaginary) pairs.
    var input: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableRawPointer(inputBuffer).withMemoryRebound(to: Float.self, capacity: 2 * size) {
            UnsafeMutableBufferPointer(start: $0, count: 2 * size)
        }
    }

    /// The N complex outputs as interleaved (real, imaginary) pairs.
    var output: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableRawPointer(outputBuffer).withMemoryRebound(to: Float.self, capacity: 2 * size) {
            UnsafeMutableBufferPointer(start: $0, count: 2 * size)
        }
    }

    /// Transforms `input` into `output`.
    func execute() {
        fftwf_execute_dft(plan, inputBuffer, outputBuffer)
    }

    /// The transform of `real + i·imaginary` (N values each).
    public func transform(real: [Float], imaginary: [Float]) -> (real: [Float], imaginary: [Float]) {
        precondition(real.count == size && imaginary.count == size, "expected \(size) values")
        let target = input
        for index in 0..<size {
            target[2 * index] = real[index]
            target[2 * index + 1] = imaginary[index]
        }
        execute()
        let result = output
        var outReal = [Float](repeating: 0, count: size)
        var outImaginary = [Float](repeating: 0, count: size)
        for index in 0..<size {
            outReal[index] = result[2 * index]
            outImaginary[index] = result[2 * index + 1]
        }
        return (outReal, outImaginary)
    }
}
