using System.IO.Compression;
using MLRobust.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Serialization;
using MLRobust.Tests.Infrastructure;
using MLRobust.Trainers;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>The weights of a model MLRobust trained (the safetensors entry of its ML.NET model file) load into the same
/// network written independently in PyTorch (Debian's torch 1.13), which gives the same logits; and weights PyTorch
/// changes load back into MLRobust's network with PyTorch's logits.</summary>
[Collection(SeededTorchCollection.Name)]
public class TrainedModelInPyTorchTests
{
    private const int Size = 24;
    private static readonly AlexNetSmallWidths Small = new(4, 8, 8, 8, 8, 16);

    [Fact]
    public void DirectClassifierWeights_LoadInPyTorch_AndBack()
    {
        var ml = new MLContext(6);
        var train = SyntheticShapes.DataView(ml, SyntheticShapes.Rows(32, Size, 1), Size);
        var options = new DirectClassifierTrainer.Options { FeatureColumnName = "Image", Widths = Small, Dropout = 0.5, Classifier = { Iterations = 5, BatchSize = 8 } };
        using var model = ml.MulticlassClassification.Trainers.DirectClassifier(options).Fit(train);
        using var folder = new TempFolder();
        ml.Model.Save(model, train.Schema, folder.File("model.zip"));
        using (var zip = ZipFile.OpenRead(folder.File("model.zip")))
            zip.Entries.Single(e => e.FullName.EndsWith("/" + ModelWeights.Entry, StringComparison.Ordinal)).ExtractToFile(folder.File("weights.safetensors"));

        using var scope = NewDisposeScope();
        var network = (DirectClassifier)model.Classifier;
        network.eval();
        var rows = SyntheticShapes.Rows(6, Size, 2);
        var images = tensor(rows.SelectMany(r => r.Image).ToArray(), new long[] { 6, 1, Size, Size });
        Tensor ours;
        using (no_grad()) ours = network.call(images);
        SafeTensors.Save(new Dictionary<string, Tensor> { ["images"] = images }, folder.File("images.safetensors"));

        var w = Small;
        var flat = w.Conv5 * AlexNetSmall.FeatureSize(Size) * AlexNetSmall.FeatureSize(Size);
        Run($$"""
from collections import OrderedDict
lrn = lambda: nn.LocalResponseNorm(5, 1e-4, 0.75, 1.0)
pool = lambda: nn.MaxPool2d(3, 2, ceil_mode=True)
class AlexNetSmall(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(OrderedDict([
            ('conv1', nn.Conv2d(1, {{w.Conv1}}, 3)), ('relu1', nn.ReLU()), ('norm1', lrn()), ('pool1', pool()),
            ('conv2', nn.Conv2d({{w.Conv1}}, {{w.Conv2}}, 3, padding=1)), ('relu2', nn.ReLU()), ('norm2', lrn()), ('pool2', pool()),
            ('conv3', nn.Conv2d({{w.Conv2}}, {{w.Conv3}}, 3, padding=1)), ('relu3', nn.ReLU()),
            ('conv4', nn.Conv2d({{w.Conv3}}, {{w.Conv4}}, 3, padding=1)), ('relu4', nn.ReLU()),
            ('conv5', nn.Conv2d({{w.Conv4}}, {{w.Conv5}}, 3, padding=1)), ('relu5', nn.ReLU()), ('pool5', pool()), ('flatten', nn.Flatten())]))
        self.classifier = nn.Sequential(OrderedDict([
            ('fc6', nn.Linear({{flat}}, {{w.Fc}})), ('relu6', nn.ReLU()), ('drop6', nn.Dropout(0.5)),
            ('fc7', nn.Linear({{w.Fc}}, {{w.Fc}})), ('relu7', nn.ReLU()), ('drop7', nn.Dropout(0.5)),
            ('fc8', nn.Linear({{w.Fc}}, 4))]))
    def forward(self, x):
        return self.classifier(self.features(x))
class Direct(nn.Module):
    def __init__(self):
        super().__init__()
        self.network = AlexNetSmall()
    def forward(self, x):
        return self.network(x)
model = Direct()
weights = load({{Py(folder.File("weights.safetensors"))}})
model.load_state_dict(weights, strict=True)
model.eval()
x = load({{Py(folder.File("images.safetensors"))}})['images']
with torch.no_grad():
    logits = model(x)
    # Change the weights in PyTorch and give them back.
    for p in model.parameters():
        p.mul_(1.5)
    changed = model(x)
save({{Py(folder.File("torch.safetensors"))}}, {'logits': logits, 'changed_logits': changed})
save({{Py(folder.File("changed.safetensors"))}}, {k: v.contiguous() for k, v in model.state_dict().items()})
""");
        var reference = SafeTensors.Load(folder.File("torch.safetensors"));
        Close(reference["logits"].data<float>().ToArray(), ours.data<float>().ToArray(), 1e-4, "PyTorch's logits of MLRobust's weights");

        var changed = SafeTensors.Load(folder.File("changed.safetensors"));
        network.load_state_dict(changed);
        Tensor after;
        using (no_grad()) after = network.call(images);
        Close(reference["changed_logits"].data<float>().ToArray(), after.data<float>().ToArray(), 1e-4, "MLRobust's logits of PyTorch's weights");
        foreach (var t in reference.Values.Concat(changed.Values)) t.Dispose();
    }
}
