using AnomalyDetection.Serialization;

namespace AnomalyDetection.Core.Tests.Serialization;

public class AtomicFileTests
{
    [Fact]
    public async Task WriteAsync_IntoFolderThatDoesNotExistYet_CreatesItAndTheFile()
    {
        var root = Directory.CreateTempSubdirectory("atomic");
        try
        {
            var path = Path.Combine(root.FullName, "models", "nested", "model.bin");
            await AtomicFile.WriteAsync(path, s => s.WriteAsync(new byte[] { 1, 2, 3 }).AsTask(), CancellationToken.None);
            Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(path));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Write_WriterThrows_RethrowsItsErrorAndKeepsTheOldContent()
    {
        var root = Directory.CreateTempSubdirectory("atomic");
        try
        {
            var path = Path.Combine(root.FullName, "model.bin");
            File.WriteAllBytes(path, [9, 9]);
            var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
            {
                s.WriteByte(1);
                throw new InvalidOperationException("writer failed");
            }));

            Assert.Equal("writer failed", error.Message);
            Assert.Equal([9, 9], File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(root.FullName));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
