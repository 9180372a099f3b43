"""Joint face SR + deblurring (Yun & Park, paper 002): see train/JOINT_SR.md."""
