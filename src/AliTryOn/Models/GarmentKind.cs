namespace AliTryOn;

/// <summary>How a garment is photographed. Sent to the service as the garment's <c>type</c>.</summary>
public enum GarmentKind
{
    /// <summary>A flat-lay photo of the garment on its own (wire value <c>0</c>).</summary>
    FlatLay = 0,

    /// <summary>A photo of the garment worn by a model (wire value <c>1</c>).</summary>
    WornByModel = 1,
}
