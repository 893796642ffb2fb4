"""What the demo and the lab compute from trained models (no Gradio here).

    comparison  every model's reconstruction of one input, with seeded noise
    explore     inside the codes: encode, decode, unit images, walks between codes
    live        one model trained live (the Train tab), stoppable, kept on request
    maps        the test codes in 2-D by t-SNE, shipped in weights/maps/ (python -m zoo.analysis.maps)
    units       each unit of a code read off the test digits
"""
