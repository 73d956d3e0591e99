"""registers (in progress)."""

import streamlit as st

st.title("registers")
