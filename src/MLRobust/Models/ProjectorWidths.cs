namespace MLRobust.Models;

/// <summary>Layer widths of <see cref="Projector"/>; the defaults are the paper's (a downscaled "generate chairs" net):
/// fc512-fc512-fc384-fc384, a 96-channel seed map of side S/8, deconvolutions to 96 and 32 channels.</summary>
public sealed record ProjectorWidths(long Fc1 = 512, long Fc2 = 512, long Fc3 = 384, long Fc4 = 384, long SeedChannels = 96,
    long Deconv1 = 96, long Deconv2 = 32);
