/**
 * Neural voices run by ONNX Runtime (see {@code models/FORMAT.md}).
 *
 * <ul>
 *   <li>{@link org.voxmorph.model.ModelPackage}: a {@code models/<id>/} folder, its manifest and
 *       checked files; {@link org.voxmorph.model.ModelsFolder} says where the folders are.</li>
 *   <li>{@link org.voxmorph.model.ModelContract}: which exporter's inputs and outputs a graph has.</li>
 *   <li>{@link org.voxmorph.model.ModelProcessor}: the {@code model} processor; it runs a
 *       {@code StreamingVoice} (one call per hop, explicit state) or an {@code RvcVoice}
 *       (content encoder + pitch + decoder on a {@code SlidingWindow} joined with
 *       {@link org.voxmorph.dsp.Sola}), or a {@code MatchingVoice} for a {@code voxmorph-frames}
 *       package (built-in voices as matching sets, converted into by
 *       {@link org.voxmorph.dsp.IdentityConverter}; no graph runs).</li>
 *   <li>{@link org.voxmorph.model.ModelImporter} serves the {@code models import} command;
 *       {@link org.voxmorph.model.InferenceStats} the model figures of {@code bench --model}.</li>
 * </ul>
 */
package org.voxmorph.model;
