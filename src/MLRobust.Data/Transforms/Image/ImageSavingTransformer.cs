using System.Globalization;
using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms.Image;

/// <summary>
/// Writes each row's image as a PNG file into <see cref="ImageFolder"/> when the output column (the written path, text) is
/// read: named after <see cref="FileNameColumnName"/>'s text when given, else <c>{prefix}{row:D6}.png</c>. Files are
/// written atomically. (An MLRobust addition: people look at results.)
/// </summary>
[ModelComponent(LoaderSignature)]
public sealed class ImageSavingTransformer : RowToRowTransformerBase
{
    internal const string LoaderSignature = "ImageSavingTransformer";
    private const int Version = 1;

    public ImageSavingTransformer(IHostEnvironment env, string outputColumnName, string imageFolder, string inputColumnName, string? fileNameColumnName = null,
        string fileNamePrefix = "image_") : base(env)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(imageFolder);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        OutputColumnName = outputColumnName;
        ImageFolder = imageFolder;
        InputColumnName = inputColumnName;
        FileNameColumnName = fileNameColumnName;
        FileNamePrefix = fileNamePrefix ?? "";
        if (FileNamePrefix.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) throw new ArgumentException($"'{FileNamePrefix}' can't start a file name.", nameof(fileNamePrefix));
    }

    public string OutputColumnName { get; }
    public string ImageFolder { get; }
    public string InputColumnName { get; }
    public string? FileNameColumnName { get; }
    public string FileNamePrefix { get; }

    protected override RowMapper MakeRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed record Parameters(string Output, string Folder, string Input, string? FileNameColumn, string Prefix);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(OutputColumnName, ImageFolder, InputColumnName, FileNameColumnName, FileNamePrefix));
    }

    private static ImageSavingTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        var p = ctx.LoadParameters<Parameters>();
        try
        {
            return new ImageSavingTransformer(ctx.Environment, p.Output, p.Folder, p.Input, p.FileNameColumn, p.Prefix);
        }
        catch (ArgumentException ex)
        {
            throw ctx.Error(ex.Message, ex);
        }
    }

    private sealed class Mapper : RowMapper
    {
        private readonly ImageSavingTransformer _parent;
        private readonly DataViewSchema.Column _image;
        private readonly DataViewSchema.Column? _fileName;

        public Mapper(ImageSavingTransformer parent, DataViewSchema inputSchema) : base(inputSchema)
        {
            _parent = parent;
            _image = SchemaMismatchException.FindColumn(inputSchema, parent.InputColumnName);
            SchemaShapeChecks.Image(_image);
            if (parent.FileNameColumnName != null)
            {
                var name = SchemaMismatchException.FindColumn(inputSchema, parent.FileNameColumnName);
                if (name.Type is not TextDataViewType) throw new SchemaMismatchException(nameof(inputSchema), "file name", name.Name, "String", name.Type.ToString()!);
                _fileName = name;
            }
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumnsCore() =>
            new[] { new DataViewSchema.DetachedColumn(_parent.OutputColumnName, TextDataViewType.Instance) };

        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) =>
            _fileName is { } f ? new[] { _image, f } : new[] { _image };

        public override Delegate MakeGetter(DataViewRow input, int outputIndex, out Action? disposer)
        {
            disposer = null;
            var images = input.GetGetter<MLImage>(_image);
            var names = _fileName is { } f ? input.GetGetter<ReadOnlyMemory<char>>(f) : null;
            var memo = new RowMemo<string>(input, () =>
            {
                MLImage image = null!;
                images(ref image);
                if (image is null) throw new InvalidOperationException($"Column '{_image.Name}', row {input.Position}: there is no image to save.");
                string fileName;
                if (names != null)
                {
                    ReadOnlyMemory<char> name = default;
                    names(ref name);
                    fileName = Path.GetFileName(name.ToString());
                    if (fileName.Length == 0) throw new InvalidDataException($"Column '{_fileName!.Value.Name}', row {input.Position}: the file name is empty.");
                    if (!fileName.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) fileName += ".png";
                }
                else
                {
                    fileName = _parent.FileNamePrefix + input.Position.ToString("D6", CultureInfo.InvariantCulture) + ".png";
                }
                Directory.CreateDirectory(_parent.ImageFolder);
                var path = Path.Combine(_parent.ImageFolder, fileName);
                image.Save(path);
                return path;
            });
            return (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> dst) => dst = memo.Get().AsMemory());
        }
    }
}

/// <summary>Creates an <see cref="ImageSavingTransformer"/>; nothing to learn.</summary>
public sealed class ImageSavingEstimator : TrivialEstimator<ImageSavingTransformer>
{
    public ImageSavingEstimator(IHostEnvironment env, string outputColumnName, string imageFolder, string inputColumnName, string? fileNameColumnName = null,
        string fileNamePrefix = "image_")
        : base(env, new ImageSavingTransformer(env, outputColumnName, imageFolder, inputColumnName, fileNameColumnName, fileNamePrefix)) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShapeChecks.Image(inputSchema, Transformer.InputColumnName);
        if (Transformer.FileNameColumnName != null)
            SchemaShapeChecks.ScalarOfType(inputSchema, Transformer.FileNameColumnName, TextDataViewType.Instance, "String");
        return inputSchema.With(new SchemaShape.Column(Transformer.OutputColumnName, SchemaShape.Column.VectorKind.Scalar, TextDataViewType.Instance, false));
    }
}
