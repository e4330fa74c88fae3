import Synchronization

/// Which backend computes on each device.
///
/// The CPU backend is built in. Other devices come from factories that their backends register (the
/// CUDA backend registers one for `cuda:N` when it is loaded); a device without one is unavailable, with
/// a message saying why. Tests swap in another backend for a device within a scope, e.g. a
/// ``RecordingBackend`` that records what would run without running it.
package enum Backends {
    /// Makes the backend of one device index, or throws saying why the device cannot be used.
    package typealias Factory = @Sendable (_ index: Int) throws(TesseraError) -> any Backend

    private struct Registry {
        var cudaFactory: Factory?
        var cuda: [Int: any Backend] = [:]
    }

    private static let registry = Mutex(Registry())

    /// Backends that replace the registered ones within ``using(_:_:)`` (per task).
    @TaskLocal private static var overrides: [Device: any Backend] = [:]

    /// The backend that computes on `device`.
    ///
    /// - Throws: ``TesseraError`` of kind `.library` when the device has no backend in this process.
    package static func backend(for device: Device) throws(TesseraError) -> any Backend {
        if let replaced = overrides[device] { return replaced }
        switch device {
        case .cpu:
            return CPUBackend.shared
        case .cuda(let index):
            let (cached, factory) = registry.withLock { ($0.cuda[index], $0.cudaFactory) }
            if let cached { return cached }
            guard let factory else {
                throw TesseraError(.library, "this Tessera build has no CUDA backend", location: device.description)
            }
            let made = try factory(index)
            return registry.withLock { state in
                if let raced = state.cuda[index] { return raced }
                state.cuda[index] = made
                return made
            }
        }
    }

    /// The backend of `device`, trapping with the reason when there is none (for graph execution,
    /// where an unavailable device is a programmer error: check ``Device/checkAvailable()`` first).
    package static func resolved(_ device: Device) -> any Backend {
        do {
            return try backend(for: device)
        } catch {
            fatalError("[\(device)] \(error)")
        }
    }

    /// Registers the factory for CUDA devices; the CUDA backend calls this once when it is loaded.
    package static func register(cuda factory: @escaping Factory) {
        registry.withLock { $0.cudaFactory = factory }
    }

    /// Runs `body` with `backend` computing on its device for this task (and tasks it starts).
    package static func using<R>(_ backend: any Backend, _ body: () throws -> R) rethrows -> R {
        var replaced = overrides
        replaced[backend.device] = backend
        return try $overrides.withValue(replaced) { try body() }
    }

    /// The devices with a backend: the CPU, then every CUDA device a registered backend opens.
    package static var availableDevices: [Device] {
        var devices: [Device] = [.cpu]
        var index = 0
        while (try? backend(for: .cuda(index))) != nil {
            devices.append(.cuda(index))
            index += 1
        }
        return devices
    }
}
