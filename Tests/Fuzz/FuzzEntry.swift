import Foundation

#if FUZZING
    /// libFuzzer's entry point: the target named by `LEADGEN_FUZZ_TARGET` gets each input.
    let selectedTarget: FuzzTargets.Target = {
        let name = ProcessInfo.processInfo.environment["LEADGEN_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTargets.all[name] else {
            let names = FuzzTargets.all.keys.sorted().joined(separator: ", ")
            FileHandle.standardError.write(Data("set LEADGEN_FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
        selectedTarget(Data(bytes: bytes, count: count))
        return 0
    }

    /// libFuzzer's driver, for an executable that has a main of its own (as SwiftPM's do).
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
    ) -> CInt

    @main struct FuzzMain {
        static func main() {
            _ = selectedTarget
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
        }
    }
#else
    /// Without libFuzzer: replays every seed and finding under the corpus folder through its target (a
    /// regression test for every input that ever crashed a parser).
    @main struct FuzzReplay {
        static func main() throws {
            let root = URL(
                fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "Tests/Fuzz/Corpus", isDirectory: true)
            var replayed = 0
            for (name, target) in FuzzTargets.all.sorted(by: { $0.key < $1.key }) {
                let folder = root.appendingPathComponent(name)
                let files =
                    (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil))
                    ?? []
                for file in files.sorted(by: { $0.path < $1.path }) {
                    target(try Data(contentsOf: file))
                    replayed += 1
                }
            }
            print("replayed \(replayed) inputs through \(FuzzTargets.all.count) fuzz targets")
        }
    }
#endif
