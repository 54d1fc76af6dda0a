
namespace AliTryOn.Testing.Tests.TestSupport;

/// <summary>An emulator on a fake clock, with a client that sends hand-made requests to it.</summary>
public abstract class EmulatorTest
{
    protected EmulatorTest(int? randomSeed = null)
    {
        Time = new ObservedFakeTimeProvider();
        Emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = Time, RandomSeed = randomSeed });
        Client = new RawClient(Emulator);
    }

    protected ObservedFakeTimeProvider Time { get; }

    protected TryOnEmulator Emulator { get; }

    protected RawClient Client { get; }
}
