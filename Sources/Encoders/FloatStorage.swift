/// A fixed-size, 64-byte aligned Float32 buffer owned by a class (freed on deinit), for weights and scratch space.
final class FloatStorage: @unchecked Sendable {
    // @unchecked Sendable: weights are written once at load time, then only read; scratch storage is only used by
    // the one forward pass that checked it out of the model's workspace cache.
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    /// `count` zeros.
    init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
    }

    /// A copy of `values`.
    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit {
        pointer.deallocate()
    }

    /// A read-only view of the start.
    var readOnly: UnsafePointer<Float> { UnsafePointer(pointer) }
}
