using System.Security.Cryptography;
using Occam.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Posteriors.Storage;

/// <summary>
/// A file of named tensors (float64, float32 or int64, any shape) with a magic header, a format
/// version and a SHA-256 checksum, so a truncated or corrupt file is refused with one line naming it.
/// Layout: "OCCAMTB1", int32 version, int32 count, then per tensor its name, dtype code, rank, sizes and
/// little-endian values; then the 32-byte SHA-256 of everything before it.
/// </summary>
public static class TensorBundle
{
    private const string Magic = "OCCAMTB1";
    private const int Version = 1;

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> (via a temporary file renamed into place). Tensors are not disposed.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(System.Text.Encoding.ASCII.GetBytes(Magic));
            writer.Write(Version);
            writer.Write(tensors.Count);
            foreach (var (name, tensor) in tensors) WriteTensor(writer, name, tensor);
        }
        var hash = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        buffer.Write(hash);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, buffer.ToArray());
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads every tensor of <paramref name="path"/> (on the CPU; the caller owns them).</summary>
    /// <exception cref="DataFormatException">Missing, truncated, corrupt or of another format; the message names the file.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "missing file of a saved model");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length + 8 + 32 || System.Text.Encoding.ASCII.GetString(bytes, 0, Magic.Length) != Magic)
            throw new DataFormatException(path, null, null, "not an Occam tensor file (wrong header)");
        var body = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw new DataFormatException(path, null, null, "checksum mismatch: the file is truncated or corrupt");
        var result = new Dictionary<string, Tensor>();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, body.Length));
            reader.ReadBytes(Magic.Length);
            int version = reader.ReadInt32();
            if (version != Version) throw new DataFormatException(path, null, null, $"tensor file format version {version}; this Occam reads version {Version}");
            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                var (name, tensor) = ReadTensor(reader);
                result[name] = tensor;
            }
            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or OverflowException or ArgumentException or IOException)
        {
            foreach (var t in result.Values) t.Dispose();
            throw new DataFormatException(path, null, null, $"the tensor file is malformed ({e.GetType().Name}: {e.Message})");
        }
    }

    private static void WriteTensor(BinaryWriter writer, string name, Tensor tensor)
    {
        using var values = tensor.detach().contiguous().cpu();
        writer.Write(name);
        writer.Write(Code(values.dtype));
        writer.Write((int)values.dim());
        foreach (var size in values.shape) writer.Write(size);
        writer.Write(values.bytes);
    }

    private static (string Name, Tensor Tensor) ReadTensor(BinaryReader reader)
    {
        string name = reader.ReadString();
        var dtype = DType(reader.ReadInt32());
        int rank = reader.ReadInt32();
        if (rank < 0 || rank > 16) throw new ArgumentException("bad rank");
        var shape = new long[rank];
        for (int d = 0; d < rank; d++) shape[d] = reader.ReadInt64() is var s && s >= 0 ? s : throw new ArgumentException("bad size");
        long count = shape.Aggregate(1L, checked((a, b) => a * b));
        int width = dtype == ScalarType.Float32 ? 4 : 8;
        var data = reader.ReadBytes(checked((int)(count * width)));
        if (data.Length != count * width) throw new EndOfStreamException();
        var tensor = empty(shape, dtype);
        data.CopyTo(tensor.bytes);
        return (name, tensor.DetachFromDisposeScope());
    }

    private static int Code(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => 0,
        ScalarType.Float32 => 1,
        ScalarType.Int64 => 2,
        _ => throw new NotSupportedException($"Saving {dtype} tensors is not supported."),
    };

    private static ScalarType DType(int code) => code switch
    {
        0 => ScalarType.Float64,
        1 => ScalarType.Float32,
        2 => ScalarType.Int64,
        _ => throw new ArgumentException("bad dtype"),
    };
}
