"""Pose analysis (no Qt): camera sources, MediaPipe estimation, geometry, recognition,
scoring and feedback, hold tracking, the pose library and teach-a-pose.

Public API (import from the submodules; this package imports nothing heavy):

* :mod:`pose.types` – ``Landmarks``, ``Cue``, ``FrameAnalysis``, ``HoldRecord``.
* :mod:`pose.pipeline` – ``PosePipeline(library, estimator, *, hold_seconds, target_pose)``.
* :mod:`pose.estimator` – ``create_estimator(task_file=None, *, static_image_mode=False)``.
* :mod:`pose.camera` – ``open_source``, ``WebcamSource``, ``VideoFileSource``,
  ``ImageFolderSource``, ``LatestFrameGrabber``, ``list_sources``, ``CameraUnavailable``.
* :mod:`pose.library` – ``PoseLibrary.load(user_dir)``, ``PoseDefinition``.
* :mod:`pose.draw` – ``draw_skeleton(frame_bgr, analysis)``.
* :mod:`pose.teach` – ``teach_pose``, ``teach_pose_from_photo``.
* :mod:`pose.timeline` / :mod:`pose.evaluation` – ``fieldmat analyze`` / ``eval-poses``.
* :mod:`pose.stages` – ``run_staged`` (decode/draw overlapped with inference).
* :mod:`pose.search` – ``SearchingEstimator`` (retries when nobody is found; flip test for photos).
* :mod:`pose.framing` / :mod:`pose.coaching` – the framing cue; which cues are shown and said.

mediapipe and cv2 are imported lazily, on first use.
"""
