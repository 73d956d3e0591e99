"""What a signed-in person with no role (yet) sees."""

import streamlit as st

st.title("sgaudit")
st.info(
    "You are signed in, but your account has no role on any organisation or audit yet. "
    "Ask an admin of sgaudit to give you one."
)
