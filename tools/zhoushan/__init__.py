"""The Zhoushan build in readable steps; ``zhoushan.builder.build`` makes the document."""
