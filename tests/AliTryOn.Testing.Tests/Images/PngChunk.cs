namespace AliTryOn.Testing.Tests.Images;

/// <summary>One chunk as read from a PNG file, with its stored CRC and the CRC the test computed itself.</summary>
internal sealed record PngChunk(string Type, byte[] Data, uint StoredCrc, uint ComputedCrc);
