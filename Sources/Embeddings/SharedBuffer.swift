/// A fixed-size buffer that worker threads write at disjoint indices (per-thread scratch, per-query results).
final class SharedBuffer<Element>: @unchecked Sendable {
    /// Number of elements.
    let count: Int
    /// The first element; valid for `count` elements until the buffer is released.
    let pointer: UnsafeMutablePointer<Element>

    /// `count` copies of `value`.
    init(count: Int, repeating value: Element) {
        self.count = count
        pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: value, count: count)
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }

    /// The contents as an array.
    var array: [Element] {
        Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}
